import { describe, expect, it } from 'vitest';
import { parseConfig } from '../app/config.js';

const query = (overrides: Record<string, unknown> = {}) => ({
  sql: 'SELECT plan, count(*) AS signups FROM users GROUP BY plan',
  labels: ['plan'],
  metrics: [{ column: 'signups', name: 'chom_custom_signups', help: 'Signups by plan.' }],
  ...overrides,
});

describe('custom queries in the configuration', () => {
  it('fills the defaults of an entry', () => {
    const config = parseConfig({ custom: { signups: query() } });
    expect(config.custom.signups).toMatchObject({
      enabled: true,
      source: 'app',
      schedule: '*/5 * * * *',
      timeoutSeconds: 60,
      maxSeries: 1000,
      zeroRows: 'allow',
      metrics: [{ type: 'gauge' }],
    });
    expect(parseConfig({}).custom).toEqual({});
  });

  it.each([
    [
      'a counter without _total',
      { metrics: [{ column: 'signups', name: 'chom_signups', type: 'counter', help: 'h' }] },
      /custom\.signups\.metrics\.0\.name: a counter ends in _total/,
    ],
    [
      'a gauge with _total',
      { metrics: [{ column: 'signups', name: 'chom_signups_total', help: 'h' }] },
      /custom\.signups\.metrics\.0\.name: _total is for counters/,
    ],
    [
      'a built-in metric name',
      { metrics: [{ column: 'signups', name: 'chom_nps_score', help: 'h' }] },
      /custom\.signups\.metrics\.0\.name: chom_nps_score is a built-in metric/,
    ],
    [
      'a name outside chom_',
      { metrics: [{ column: 'signups', name: 'signups', help: 'h' }] },
      /custom\.signups\.metrics\.0\.name: expected a metric name starting with chom_/,
    ],
    [
      'a column used as label and value',
      { labels: ['signups'] },
      /custom\.signups\.metrics: column "signups" is used twice/,
    ],
    [
      'an upper-case column (PostgreSQL folds unquoted aliases)',
      { labels: ['Plan'] },
      /custom\.signups\.labels\.0: expected a lower-case column name/,
    ],
    [
      'a label Prometheus sets itself',
      { labels: ['instance'] },
      /custom\.signups\.labels\.0: a label may not start with __ nor be job or instance/,
    ],
    [
      'a self-metric name',
      { metrics: [{ column: 'signups', name: 'chom_collector_success', help: 'h' }] },
      /custom\.signups\.metrics\.0\.name: chom_collector_success is a built-in metric/,
    ],
    [
      'a bind parameter',
      { sql: 'SELECT plan, count(*) AS signups FROM users WHERE plan <> $1 GROUP BY plan' },
      /custom\.signups\.sql: takes no numbered bind parameters/,
    ],
    ['no metrics', { metrics: [] }, /custom\.signups\.metrics/],
    ['an unknown key', { interval: 60 }, /custom\.signups: unknown key\(s\) "interval"/],
    ['a bad schedule', { schedule: 'hourly' }, /custom\.signups\.schedule: expected a cron/],
  ])('rejects %s, naming the key', (_name, overrides, message) => {
    expect(() => parseConfig({ custom: { signups: query(overrides) } })).toThrow(message);
  });

  it('rejects the same metric name in two entries, naming both', () => {
    expect(() => parseConfig({ custom: { signups: query(), again: query() } })).toThrow(
      /custom\.again\.metrics\.0\.name: chom_custom_signups is already defined by custom\.signups/,
    );
  });

  it('rejects an entry name that is not snake_case', () => {
    expect(() => parseConfig({ custom: { 'Sign-ups': query() } })).toThrow(
      /custom\.Sign-ups: bad name: expected a snake_case name/,
    );
  });
});
