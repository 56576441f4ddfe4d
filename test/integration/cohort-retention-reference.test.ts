import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/app/config.js';
import { closeSources } from '../../src/app/create-sources.js';
import { buildSources } from '../../src/app/service.js';
import { postgresCohortRetention } from '../../src/collectors/postgres-cohort-retention.js';
import type { Sources } from '../../src/collectors/sources.js';
import { collectAt, seriesOfSamples } from '../helpers/collect-at.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/**
 * The cohort query (one pass over the window's sessions, hash-joined to the
 * cohort users) against the definition computed the plain way in TypeScript,
 * on generated data crowded at the edges: signups, deletions and sessions a
 * millisecond either side of month boundaries, of the window's first month and
 * of the instant, sessions before the signup month, users without sessions,
 * instants on a month boundary and across a year end, windows of 1 to 13 months.
 */

const ms = (iso: string) => Date.parse(iso);
const monthIndex = (t: number) => new Date(t).getUTCFullYear() * 12 + new Date(t).getUTCMonth();
const monthStart = (index: number) => Date.UTC(Math.floor(index / 12), index % 12, 1);
const monthLabel = (index: number) =>
  `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

const instants = [
  '2024-03-15T12:00:00.000Z',
  '2024-03-01T00:00:00.000Z',
  '2024-02-29T23:59:59.999Z',
  '2025-01-10T08:00:00.000Z',
  '2024-12-31T23:59:59.999Z',
].map(ms);

/** Times around the boundaries of the months from `from` to `to` (month indexes). */
function edgeTimes(from: number, to: number): number[] {
  const times: number[] = [];
  for (let index = from; index <= to; index += 1) {
    const start = monthStart(index);
    times.push(start - 1, start, start + 1, start + 13 * 86_400_000);
  }
  return times;
}

interface Case {
  readonly at: number;
  readonly months: number;
  readonly users: { created: number; deleted: number | null }[];
  readonly sessions: { user: number; started: number }[];
}

const cases: fc.Arbitrary<Case> = fc
  .record({
    at: fc.constantFrom(...instants),
    months: fc.constantFrom(1, 2, 3, 12),
    userCount: fc.integer({ min: 0, max: 12 }),
    seed: fc.infiniteStream(fc.nat()),
  })
  .map(({ at, months, userCount, seed }) => {
    const next = () => seed.next().value as number;
    const from = (t: number[]) => t[next() % t.length] as number;
    // Signups from a month before the window to a month after the instant, and the instant.
    const signups = [...edgeTimes(monthIndex(at) - months - 1, monthIndex(at) + 1), at, at + 1];
    const users = Array.from({ length: userCount }, () => {
      const created = from(signups);
      // Alive, deleted at some edge, exactly at the instant, or after it.
      const deleted = [null, from(signups), at, at + 86_400_000][next() % 4] ?? null;
      return { created, deleted };
    });
    // Sessions from the month before the signup to the month after the instant, and at the instant.
    const sessions = users.flatMap((u, user) =>
      Array.from({ length: next() % 6 }, () => ({
        user,
        started: from([...edgeTimes(monthIndex(u.created) - 1, monthIndex(at) + 1), at, at + 1]),
      })),
    );
    return { at, months, users, sessions };
  });

/** The definition (see the collector): plain loops over months and users. */
function expected({ at, months, users, sessions }: Case) {
  const first = monthIndex(at) - months;
  const alive = (u: Case['users'][number]) =>
    u.created <= at && (u.deleted === null || u.deleted > at) && monthIndex(u.created) >= first;
  const sizes: Record<string, number> = {};
  const ratios: Record<string, number> = {};
  for (let cohort = first; cohort <= monthIndex(at); cohort += 1) {
    const members = users
      .map((u, id) => ({ ...u, id }))
      .filter((u) => alive(u) && monthIndex(u.created) === cohort);
    if (members.length === 0) continue;
    sizes[JSON.stringify({ cohort: monthLabel(cohort) })] = members.length;
    for (let offset = 0; cohort + offset <= monthIndex(at); offset += 1) {
      const retained = members.filter((u) =>
        sessions.some(
          (s) => s.user === u.id && s.started <= at && monthIndex(s.started) === cohort + offset,
        ),
      ).length;
      ratios[JSON.stringify({ cohort: monthLabel(cohort), month_offset: String(offset) })] =
        retained / members.length;
    }
  }
  return { sizes, ratios };
}

describe('cohort retention against its definition', () => {
  let db: TestDatabase;
  const sourcesByMonths = new Map<
    number,
    { config: ReturnType<typeof parseConfig>; sources: Sources }
  >();

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(
      `INSERT INTO organizations (id, slug, name, created_at) OVERRIDING SYSTEM VALUE
       VALUES (1, 'o', 'O', '2020-01-01T00:00:00Z')`,
    );
  });
  afterAll(async () => {
    for (const { sources } of sourcesByMonths.values()) await closeSources(sources);
    await db?.drop();
  });

  it('gives the same sizes and ratios on data at the month edges', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        await db.sql('TRUNCATE user_sessions, users CASCADE');
        await db.sql(
          `INSERT INTO users (id, organization_id, email, created_at, deleted_at) OVERRIDING SYSTEM VALUE
           SELECT id, 1, 'u' || id || '@o.test', created, deleted
           FROM unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[]) AS u(id, created, deleted)`,
          [
            c.users.map((_, id) => id),
            c.users.map((u) => new Date(u.created)),
            c.users.map((u) => (u.deleted === null ? null : new Date(u.deleted))),
          ],
        );
        await db.sql(
          `INSERT INTO user_sessions (user_id, organization_id, started_at)
           SELECT user_id, 1, started FROM unnest($1::bigint[], $2::timestamptz[]) AS s(user_id, started)`,
          [c.sessions.map((s) => s.user), c.sessions.map((s) => new Date(s.started))],
        );
        let opened = sourcesByMonths.get(c.months);
        if (!opened) {
          const config = parseConfig({
            database: { url: db.url },
            collectors: { postgres_cohort_retention: { months: c.months } },
          });
          opened = {
            config,
            sources: buildSources(config, { url: db.url }, pino({ level: 'silent' })),
          };
          sourcesByMonths.set(c.months, opened);
        }
        const { samples } = await collectAt(
          postgresCohortRetention,
          opened.config,
          opened.sources,
          new Date(c.at),
        );
        const want = expected(c);
        expect(seriesOfSamples(samples, 'chom_cohort_size')).toEqual(want.sizes);
        expect(seriesOfSamples(samples, 'chom_cohort_retention_ratio')).toEqual(want.ratios);
        if (Object.values(want.ratios).some((r) => r > 0 && r < 1)) checked += 1;
      }),
      { numRuns: 80, seed: 20 },
    );
    // The generator must produce cohorts where some but not all users came back.
    expect(checked).toBeGreaterThan(10);
  }, 120_000);
});
