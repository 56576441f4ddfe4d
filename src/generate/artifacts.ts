import { readFileSync } from 'node:fs';
import { configurationDocument } from './config-doc.js';
import { collectorsTable, metricsDocument } from './metrics-doc.js';
import { replaceSection } from './readme-sections.js';

export interface Artifact {
  readonly path: string;
  readonly content: string;
}

/**
 * Every generated file, from the one source of truth in src/. `npm run
 * generate` writes them; a test fails when the committed copies drift.
 */
export function buildArtifacts(root: URL): Artifact[] {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  return [
    { path: 'docs/metrics.md', content: metricsDocument() },
    { path: 'docs/configuration.md', content: configurationDocument() },
    { path: 'README.md', content: replaceSection(readme, 'collectors', collectorsTable()) },
  ];
}
