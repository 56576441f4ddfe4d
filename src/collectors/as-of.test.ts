import { describe, expect, it } from 'vitest';
import { parseConfig } from '../app/config.js';
import { backfillability, isBackfillable } from './as-of.js';
import { enabledCollectors } from './enabled.js';

/** Each enabled collector of a config with its parsed options. */
function collectorsOf(raw: Record<string, unknown>) {
  return new Map(
    enabledCollectors(parseConfig(raw)).map(({ collector, options }) => [
      collector.name,
      { collector, options },
    ]),
  );
}

function verdict(raw: Record<string, unknown>, name: string) {
  const entry = collectorsOf(raw).get(name);
  if (!entry) throw new Error(`${name} is not enabled`);
  return backfillability(entry.collector, entry.options);
}

describe('backfillability', () => {
  it('takes every collector with its default queries, billing included', () => {
    const live = [...collectorsOf({}).values()]
      .filter(({ collector, options }) => !isBackfillable(collector, options))
      .map(({ collector }) => collector.name);
    expect(live).toEqual([]);
    expect(verdict({}, 'billing_mrr')).toEqual({ backfillable: true });
  });

  it('makes a collector live-only when an override drops the $at its default uses', () => {
    const sql = 'SELECT count(*) AS users FROM users';
    expect(
      verdict(
        { collectors: { postgres_active_users: { queries: { users: sql } } } },
        'postgres_active_users',
      ),
    ).toEqual({
      backfillable: false,
      reason:
        'postgres_active_users is live-only: collectors.postgres_active_users.queries.users does not use $at',
    });
    const asOf = `${sql} WHERE created_at <= $at`;
    expect(
      verdict(
        { collectors: { postgres_active_users: { queries: { users: asOf } } } },
        'postgres_active_users',
      ),
    ).toEqual({ backfillable: true });
  });

  it('keeps a collector whose default takes the instant another way (spend window days, counter ranges)', () => {
    const spend =
      'SELECT channel, currency, sum(amount) AS amount FROM spend WHERE day BETWEEN $1 AND $2 GROUP BY 1, 2';
    expect(
      verdict(
        { collectors: { postgres_marketing_spend: { queries: { spend } } } },
        'postgres_marketing_spend',
      ),
    ).toEqual({ backfillable: true });
    const sent =
      'SELECT count(*) AS sent FROM invites WHERE ($1::timestamptz IS NULL OR at > $1) AND at <= $2';
    expect(
      verdict({ collectors: { postgres_referrals: { queries: { sent } } } }, 'postgres_referrals'),
    ).toEqual({ backfillable: true });
  });

  it('backfills a custom query only when its SQL uses $at (in code, not in a comment)', () => {
    const custom = (sql: string) => ({
      custom: {
        seats: { sql, metrics: [{ column: 'seats', name: 'chom_custom_seats', help: 'Seats.' }] },
      },
    });
    expect(
      verdict(
        custom('SELECT count(*) AS seats FROM seats WHERE created_at <= $at'),
        'custom_seats',
      ),
    ).toEqual({
      backfillable: true,
    });
    expect(
      verdict(custom('SELECT count(*) AS seats FROM seats -- as of $at'), 'custom_seats'),
    ).toEqual({
      backfillable: false,
      reason:
        'custom_seats is live-only: its SQL does not use $at, the instant it is computed as of',
    });
  });
});
