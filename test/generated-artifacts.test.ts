import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildArtifacts } from '../src/generate/artifacts.js';

const root = new URL('../', import.meta.url);

describe('generated artifacts', () => {
  it.each(buildArtifacts(root).map((artifact) => [artifact.path, artifact.content]))(
    '%s matches the code (run `npm run generate` after changing metrics, collectors or config)',
    (path, content) => {
      expect(readFileSync(new URL(path, root), 'utf8')).toBe(content);
    },
  );
});
