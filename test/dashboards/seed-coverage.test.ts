import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { dashboards } from '../../src/dashboards/index.js';
import { alertRules } from '../../src/kpi/alert-rules.js';
import { recordingRules } from '../../src/kpi/recording-rules.js';
import { seeds } from '../../src/kpi/seed-coverage.js';
import type { Place } from '../../src/kpi/seed-coverage-item.js';
import { dataPanels } from './model.js';

const { kpi } = parseConfig({});
const root = new URL('../../', import.meta.url);
const panelTitles = new Map(
  dashboards(kpi).map((board) => [
    board.key,
    new Set(dataPanels(board.dashboard).map((p) => p.title)),
  ]),
);
const alerts = new Set(alertRules(kpi).map((rule) => rule.alert));
const rules = new Set(recordingRules(kpi).map((rule) => rule.record));

/** Whether a dotted path (kpi.thresholds.mrr) names a key of the parsed default configuration. */
function configHas(path: string): boolean {
  let node: unknown = { kpi };
  for (const key of path.split('.')) {
    if (!node || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

function exists(place: Place): boolean {
  if ('panel' in place) return panelTitles.get(place.panel[0])?.has(place.panel[1]) ?? false;
  if ('alert' in place) return alerts.has(place.alert);
  if ('rule' in place) return rules.has(place.rule);
  if ('doc' in place) return existsSync(new URL(place.doc, root));
  return configHas(place.config);
}

const items = seeds.flatMap((seed) =>
  seed.items.map((entry) => [seed.id, entry.item, entry] as const),
);

describe('seed coverage (docs/alerting.md, grafana/README.md)', () => {
  it('lists the four seeds the issue names', () => {
    expect(seeds.map((seed) => seed.id)).toEqual(['000', '002', '003', '004']);
  });

  it.each(items)('%s: %s points only at what exists', (_, __, entry) => {
    for (const place of entry.places) expect(exists(place), JSON.stringify(place)).toBe(true);
  });

  it.each(items)('%s: %s lives somewhere, or says why not', (_, __, entry) => {
    if (entry.places.length === 0) expect(entry.note ?? '').toMatch(/^(Not covered|Out of scope)/);
  });

  it('places every business alert under some seed item', () => {
    // Each alert is placed under some seed item, or is about the exporter itself.
    const placed = new Set(
      seeds.flatMap((seed) =>
        seed.items.flatMap((entry) =>
          entry.places.flatMap((place) => ('alert' in place ? [place.alert] : [])),
        ),
      ),
    );
    const business = alertRules(kpi).filter((rule) => rule.team !== 'sre');
    expect([...new Set(business.map((rule) => rule.alert))].filter((a) => !placed.has(a))).toEqual(
      [],
    );
  });
});
