import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../app/config.js';
import { recordingRulesYaml } from '../generate/prometheus-rules.js';
import { ruleLayers } from './rule-layers.js';
import { formatDuration, parseDuration, parseInstant } from './time-arguments.js';

interface Layer {
  groups: { name: string; interval?: string; rules: { record: string; expr: string }[] }[];
}

describe('ruleLayers', () => {
  const yaml = recordingRulesYaml(parseConfig({}).kpi);
  const all = (parse(yaml) as Layer).groups.flatMap((g) => g.rules);
  const layers = ruleLayers(yaml).map((text) => parse(text) as Layer);

  it('keeps every recording rule once, without group intervals (the step is the interval)', () => {
    const kept = layers.flatMap((l) => l.groups.flatMap((g) => g.rules));
    expect(kept.map((r) => r.record).sort()).toEqual(all.map((r) => r.record).sort());
    for (const layer of layers)
      for (const group of layer.groups) expect(group.interval).toBeUndefined();
  });

  it('puts a rule after every rule it reads', () => {
    const layerOf = new Map<string, number>();
    layers.forEach((layer, index) => {
      for (const group of layer.groups)
        for (const rule of group.rules) layerOf.set(rule.record, index);
    });
    let chained = 0;
    for (const rule of all) {
      for (const other of layerOf.keys()) {
        if (
          other === rule.record ||
          !new RegExp(`(^|[^a-zA-Z0-9_:])${other}($|[^a-zA-Z0-9_:])`).test(rule.expr)
        )
          continue;
        chained += 1;
        expect(layerOf.get(rule.record), `${rule.record} reads ${other}`).toBeGreaterThan(
          layerOf.get(other) ?? 99,
        );
      }
    }
    // The committed rules do chain (ratios over recorded sums): more than one layer.
    expect(chained).toBeGreaterThan(0);
    expect(layers.length).toBeGreaterThan(1);
  });
});

describe('time arguments', () => {
  it.each([
    ['1h', 3_600_000],
    ['30m', 1_800_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['0h', 0],
  ])('parses the duration %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '1', 'h', '-1h', '1w', '1.5h', 'hourly'])('refuses the duration %j', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );

  it('formats durations Go reads (no d)', () => {
    expect(formatDuration(86_400_000)).toBe('24h');
    expect(formatDuration(486 * 3_600_000)).toBe('486h');
    expect(formatDuration(600_000)).toBe('10m');
    expect(formatDuration(90_000)).toBe('90s');
  });

  const now = Date.UTC(2025, 5, 1, 12, 30);
  it.each([
    ['now', now],
    ['now-400d', now - 400 * 86_400_000],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2024-05-01T12:00:00Z', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01T12:00:00+02:00', Date.UTC(2024, 4, 1, 10)],
  ])('parses the instant %s', (text, ms) => expect(parseInstant(text, now)).toBe(ms));

  it.each(['2023-02-29', '2024-05-01T12:00:00', 'yesterday', 'now-1w', '2024-13-01'])(
    'refuses the instant %j',
    (text) => expect(parseInstant(text, now)).toBeUndefined(),
  );
});
