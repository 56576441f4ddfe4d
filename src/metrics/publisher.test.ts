import { describe, expect, it } from 'vitest';
import { SeriesPublisher } from './publisher.js';
import { type MetricSpec, type Sample, sample } from './spec.js';

const specs: MetricSpec[] = [
  {
    name: 'chom_signups_total',
    help: 'Signups.',
    type: 'counter',
    labelNames: ['channel'],
    unit: 'count',
  },
  {
    name: 'chom_spend',
    help: 'Spend.',
    type: 'gauge',
    labelNames: ['channel', 'currency'],
    unit: 'currency',
  },
  { name: 'chom_score', help: 'Score.', type: 'gauge', labelNames: [], unit: 'score' },
];

/** The sample lines of an exposition, without HELP and TYPE. */
function sampleLines(exposition: string): string[] {
  return exposition.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

describe('SeriesPublisher', () => {
  it('adopts the previous series only when the metrics are declared the same', () => {
    const previous = new SeriesPublisher(specs);
    previous.publish([sample('chom_score', 7)]);
    const same = new SeriesPublisher(specs);
    expect(same.adopt(previous)).toBe(true);
    expect(sampleLines(same.exposition)).toEqual(['chom_score 7']);
    // A reloaded custom query that now declares chom_score with a label.
    const changed = new SeriesPublisher([
      { name: 'chom_score', help: 'Score.', type: 'gauge', labelNames: ['tier'], unit: 'score' },
    ]);
    expect(changed.adopt(previous)).toBe(false);
    expect(sampleLines(changed.exposition)).toEqual([]);
    expect(changed.exposition).toContain('# TYPE chom_score gauge');
  });

  it('serves HELP and TYPE only before the first publish', () => {
    const publisher = new SeriesPublisher(specs);
    expect(sampleLines(publisher.exposition)).toEqual([]);
    for (const spec of specs)
      expect(publisher.exposition).toContain(`# TYPE ${spec.name} ${spec.type}`);
  });

  it('serves the published samples and counts them', () => {
    const publisher = new SeriesPublisher(specs);
    const result = publisher.publish([
      sample('chom_signups_total', 3, { channel: 'paid' }),
      sample('chom_score', -12.5),
    ]);
    expect(result).toEqual({ series: 2, rejected: [] });
    expect(sampleLines(publisher.exposition)).toEqual([
      'chom_signups_total{channel="paid"} 3',
      'chom_score -12.5',
    ]);
  });

  it('replaces the whole set: a label set absent from the next publish is gone', () => {
    const publisher = new SeriesPublisher(specs);
    publisher.publish([
      sample('chom_signups_total', 3, { channel: 'paid' }),
      sample('chom_signups_total', 5, { channel: 'organic' }),
      sample('chom_score', 1),
    ]);
    const result = publisher.publish([sample('chom_signups_total', 4, { channel: 'paid' })]);
    expect(result.series).toBe(1);
    expect(sampleLines(publisher.exposition)).toEqual(['chom_signups_total{channel="paid"} 4']);
  });

  it('serves nothing once an empty set is published', () => {
    const publisher = new SeriesPublisher(specs);
    publisher.publish([sample('chom_score', 1)]);
    expect(publisher.publish([])).toEqual({ series: 0, rejected: [] });
    expect(sampleLines(publisher.exposition)).toEqual([]);
  });

  it.each<[string, Sample]>([
    ['unknown_metric', sample('chom_not_declared', 1)],
    ['not_finite', sample('chom_score', Number.NaN)],
    ['not_finite', sample('chom_score', Number.POSITIVE_INFINITY)],
    ['not_finite', sample('chom_signups_total', Number.NEGATIVE_INFINITY, { channel: 'paid' })],
    ['negative_counter', sample('chom_signups_total', -1, { channel: 'paid' })],
    ['wrong_labels', sample('chom_signups_total', 1)],
    ['wrong_labels', sample('chom_signups_total', 1, { source: 'paid' })],
    ['wrong_labels', sample('chom_signups_total', 1, { channel: 'paid', extra: 'x' })],
    ['wrong_labels', sample('chom_spend', 1, { channel: 'paid' })],
    ['wrong_labels', sample('chom_score', 1, { channel: 'paid' })],
  ])('rejects with %s: %j', (reason, bad) => {
    const publisher = new SeriesPublisher(specs);
    const good = sample('chom_score', 7);
    const result = publisher.publish([bad, good]);
    expect(result).toEqual({ series: 1, rejected: [{ reason, sample: bad }] });
    expect(sampleLines(publisher.exposition)).toEqual(['chom_score 7']);
  });

  it('accepts a negative gauge', () => {
    const publisher = new SeriesPublisher(specs);
    const result = publisher.publish([
      sample('chom_spend', -20, { channel: 'paid', currency: 'USD' }),
    ]);
    expect(result).toEqual({ series: 1, rejected: [] });
  });

  it('accepts labels given in any order', () => {
    const publisher = new SeriesPublisher(specs);
    const result = publisher.publish([
      sample('chom_spend', 1, { currency: 'USD', channel: 'paid' }),
    ]);
    expect(result.series).toBe(1);
    expect(sampleLines(publisher.exposition)).toEqual([
      'chom_spend{channel="paid",currency="USD"} 1',
    ]);
  });

  it('keeps the first of two samples with the same series and rejects the second', () => {
    const publisher = new SeriesPublisher(specs);
    const first = sample('chom_spend', 1, { channel: 'paid', currency: 'USD' });
    const second = sample('chom_spend', 2, { currency: 'USD', channel: 'paid' });
    const result = publisher.publish([first, second]);
    expect(result).toEqual({
      series: 1,
      rejected: [{ reason: 'duplicate_series', sample: second }],
    });
    expect(sampleLines(publisher.exposition)).toEqual([
      'chom_spend{channel="paid",currency="USD"} 1',
    ]);
  });

  it('does not treat the same labels on different metrics as duplicates', () => {
    const publisher = new SeriesPublisher([
      specs[0] as MetricSpec,
      { ...(specs[0] as MetricSpec), name: 'chom_logins_total' },
    ]);
    const result = publisher.publish([
      sample('chom_signups_total', 1, { channel: 'paid' }),
      sample('chom_logins_total', 1, { channel: 'paid' }),
    ]);
    expect(result).toEqual({ series: 2, rejected: [] });
  });

  it('cuts label values at 128 characters, never inside an emoji, before looking for repeats', () => {
    const publisher = new SeriesPublisher(specs);
    const long = 'x'.repeat(10_000);
    // 127 characters, then an emoji (two UTF-16 units) across the 128th: kept whole.
    const emoji = `${'y'.repeat(127)}😀tail`;
    const result = publisher.publish([
      sample('chom_signups_total', 1, { channel: long }),
      sample('chom_signups_total', 2, { channel: `${long}-different-after-128` }),
      sample('chom_signups_total', 3, { channel: emoji }),
    ]);
    expect(result.series).toBe(2);
    expect(result.rejected.map((r) => r.reason)).toEqual(['duplicate_series']);
    expect(sampleLines(publisher.exposition)).toEqual([
      `chom_signups_total{channel="${'x'.repeat(128)}"} 1`,
      `chom_signups_total{channel="${'y'.repeat(127)}😀"} 3`,
    ]);
  });
});
