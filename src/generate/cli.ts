import { fileURLToPath } from 'node:url';
import { buildArtifacts } from './artifacts.js';
import { writeArtifacts } from './write-artifacts.js';

// `npm run generate`: the repository's committed artifacts, from the default config.
const root = fileURLToPath(new URL('../../', import.meta.url));
for (const path of writeArtifacts(root, buildArtifacts(new URL(`file://${root}`)))) {
  process.stdout.write(`wrote ${path}\n`);
}
