import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Artifact } from './artifacts.js';

/** Writes artifacts under `root`, creating folders; returns the paths written. */
export function writeArtifacts(root: string, artifacts: readonly Artifact[]): string[] {
  return artifacts.map((artifact) => {
    const target = join(root, artifact.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, artifact.content);
    return artifact.path;
  });
}
