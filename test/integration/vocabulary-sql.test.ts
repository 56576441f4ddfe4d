import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalisedSql, vocabularySql } from '../../src/collectors/vocabulary-sql.js';
import { boundLabel, normalise } from '../../src/shared/bounded-labels.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** The SQL mapping onto a vocabulary must agree with boundLabel, which maps everything else. */
describe('vocabulary mapping in SQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  const raws = [
    'dashboards',
    'Dashboards ',
    '  TEAM Invites',
    'team-invites',
    'team_-_invites',
    'team \t invites\n',
    'Secret Feature',
    'a--b  c',
    '',
    '   ',
  ];

  it('normalises each value as boundLabel does', async () => {
    const result = await db.sql(
      `SELECT r.raw, ${normalisedSql('r.raw')} AS key FROM unnest($1::text[]) AS r(raw)`,
      [raws],
    );
    const fromSql = Object.fromEntries(result.rows.map((row) => [row.raw, row.key]));
    expect(fromSql).toEqual(Object.fromEntries(raws.map((raw) => [raw, normalise(raw)])));
  });

  it('maps raw values to the spelling boundLabel gives, the first of two alike entries winning', async () => {
    const vocabulary = ['Dashboards', 'team_invites', 'Team Invites', 'api'];
    const result = await db.sql(
      `WITH tracked AS (${vocabularySql('$1')})
       SELECT r.raw, coalesce(t.label, 'other') AS label
       FROM unnest($2::text[]) AS r(raw) LEFT JOIN tracked t ON t.key = ${normalisedSql('r.raw')}`,
      [vocabulary, raws],
    );
    const fromSql = Object.fromEntries(result.rows.map((row) => [row.raw, row.label]));
    expect(fromSql).toEqual(
      Object.fromEntries(raws.map((raw) => [raw, boundLabel(raw, vocabulary)])),
    );
    // Spelled out, so that a shared mistake in both mappings would still show.
    expect(fromSql['team-invites']).toBe('team_invites');
    expect(fromSql['Dashboards ']).toBe('Dashboards');
    expect(fromSql['Secret Feature']).toBe('other');
  });
});
