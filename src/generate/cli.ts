import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildArtifacts } from './artifacts.js';

const root = new URL('../../', import.meta.url);
for (const artifact of buildArtifacts(root)) {
  const target = fileURLToPath(new URL(artifact.path, root));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, artifact.content);
  process.stdout.write(`wrote ${artifact.path}\n`);
}
