import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubernetesDirectory } from '../src/deploy/kubernetes/manifests.js';
import { buildArtifacts } from '../src/generate/artifacts.js';

const root = new URL('../', import.meta.url);

describe('generated artifacts', () => {
  it.each(buildArtifacts(root).map((artifact) => [artifact.path, artifact.content]))(
    '%s matches the code (run `npm run generate` after changing metrics, collectors or config)',
    (path, content) => {
      expect(readFileSync(new URL(path, root), 'utf8')).toBe(content);
    },
  );

  it(`${kubernetesDirectory}/ holds only generated files (delete what the code no longer writes)`, () => {
    const folder = fileURLToPath(new URL(kubernetesDirectory, root));
    const files = readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(fileURLToPath(root), join(entry.parentPath, entry.name)));
    const generated = new Set(buildArtifacts(root).map((artifact) => artifact.path));
    expect(files.filter((file) => !generated.has(file))).toEqual([]);
    expect(files.length).toBeGreaterThan(10);
  });
});
