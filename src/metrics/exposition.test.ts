import { describe, expect, it } from 'vitest';
import { escapeHelp, escapeLabelValue, formatValue, renderFamilies } from './exposition.js';
import { type MetricSpec, sample } from './spec.js';

describe('escapeLabelValue', () => {
  it.each([
    ['plain text', 'paid', 'paid'],
    ['a backslash', 'C:\\temp', 'C:\\\\temp'],
    ['double quotes', 'say "hi"', 'say \\"hi\\"'],
    ['a newline', 'line 1\nline 2', 'line 1\\nline 2'],
    ['all three', '\\"\n', '\\\\\\"\\n'],
    ['an emoji', '🚀 launch', '🚀 launch'],
    ['a tab and a single quote', "it's\tok", "it's\tok"],
    ['an empty string', '', ''],
  ])('escapes %s', (_, value, expected) => {
    expect(escapeLabelValue(value)).toBe(expected);
  });

  it('leaves a 10,000-character value unchanged', () => {
    const value = 'abcdefghij'.repeat(1000);
    expect(escapeLabelValue(value)).toBe(value);
  });

  it('escapes every quote of a 10,000-character value and nothing else', () => {
    const value = 'a"'.repeat(5000);
    expect(escapeLabelValue(value)).toBe('a\\"'.repeat(5000));
  });
});

describe('escapeHelp', () => {
  it.each([
    ['plain text', 'Users active today.', 'Users active today.'],
    ['a backslash', 'a\\b', 'a\\\\b'],
    ['a newline', 'first\nsecond', 'first\\nsecond'],
    ['double quotes, which HELP does not escape', 'the "best" one', 'the "best" one'],
  ])('handles %s', (_, text, expected) => {
    expect(escapeHelp(text)).toBe(expected);
  });
});

describe('formatValue', () => {
  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
    [0, '0'],
    [42, '42'],
    [-7, '-7'],
    [0.25, '0.25'],
    [-1.5, '-1.5'],
  ])('formats %d as %s', (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });

  it.each([[0.1 + 0.2], [1 / 3], [-2.5e-8], [1.7976931348623157e308], [123456789.123]])(
    'writes %d so that it parses back to the same number',
    (value) => {
      expect(Number.parseFloat(formatValue(value))).toBe(value);
    },
  );
});

describe('renderFamilies', () => {
  const counter: MetricSpec = {
    name: 'chom_things_total',
    help: 'Things counted.',
    type: 'counter',
    labelNames: ['channel', 'region'],
    unit: 'count',
  };
  const gauge: MetricSpec = {
    name: 'chom_level',
    help: 'A level.',
    type: 'gauge',
    labelNames: [],
    unit: 'ratio',
  };
  const empty: MetricSpec = {
    name: 'chom_nothing_yet',
    help: 'Absent until the source has data.',
    type: 'gauge',
    labelNames: ['page'],
    unit: 'count',
  };

  it('writes HELP and TYPE for every family, then its samples, in spec order', () => {
    const text = renderFamilies(
      [counter, gauge, empty],
      [
        sample('chom_level', 0.5),
        sample('chom_things_total', 3, { channel: 'paid', region: 'eu' }),
        sample('chom_things_total', 4, { channel: 'organic', region: 'us' }),
      ],
    );
    expect(text).toBe(
      [
        '# HELP chom_things_total Things counted.',
        '# TYPE chom_things_total counter',
        'chom_things_total{channel="paid",region="eu"} 3',
        'chom_things_total{channel="organic",region="us"} 4',
        '# HELP chom_level A level.',
        '# TYPE chom_level gauge',
        'chom_level 0.5',
        '# HELP chom_nothing_yet Absent until the source has data.',
        '# TYPE chom_nothing_yet gauge',
        '',
      ].join('\n'),
    );
  });

  it('writes a family without samples as HELP and TYPE only', () => {
    expect(renderFamilies([empty], [])).toBe(
      '# HELP chom_nothing_yet Absent until the source has data.\n# TYPE chom_nothing_yet gauge\n',
    );
  });

  it('orders labels as the spec lists them, not as the sample does', () => {
    const text = renderFamilies(
      [counter],
      [{ metric: 'chom_things_total', labels: { region: 'eu', channel: 'paid' }, value: 1 }],
    );
    expect(text).toContain('chom_things_total{channel="paid",region="eu"} 1\n');
  });

  it('escapes help text and label values', () => {
    const spec: MetricSpec = { ...empty, help: 'Line one\nline two \\ end' };
    const text = renderFamilies([spec], [sample('chom_nothing_yet', 1, { page: 'say "hi"\n' })]);
    expect(text).toBe(
      [
        '# HELP chom_nothing_yet Line one\\nline two \\\\ end',
        '# TYPE chom_nothing_yet gauge',
        'chom_nothing_yet{page="say \\"hi\\"\\n"} 1',
        '',
      ].join('\n'),
    );
  });

  it('writes special values the way Prometheus reads them', () => {
    const text = renderFamilies([gauge], [sample('chom_level', Number.NaN)]);
    expect(text).toContain('\nchom_level NaN\n');
  });

  it('leaves out samples of metrics it has no spec for', () => {
    const text = renderFamilies([gauge], [sample('chom_unknown', 1), sample('chom_level', 2)]);
    expect(text).not.toContain('chom_unknown');
    expect(text).toContain('\nchom_level 2\n');
  });

  it('renders nothing for no specs', () => {
    expect(renderFamilies([], [sample('chom_level', 1)])).toBe('');
  });
});
