import type { TestDatabase } from './test-database.js';

/** A user placed at chosen instants, with the sessions they start. */
export interface EdgeUser {
  readonly created: string;
  readonly deleted: string | null;
  readonly sessions: readonly string[];
}

/**
 * Inserts the users (in the first organization, emails `edge-<n>@<domain>`)
 * and their sessions, for the grouped-pass tests that place rows on step
 * instants and window edges.
 */
export async function insertEdgeUsers(
  db: TestDatabase,
  users: readonly EdgeUser[],
  domain: string,
): Promise<void> {
  const ids = await db.sql(
    `INSERT INTO users (organization_id, email, created_at, deleted_at)
     SELECT (SELECT min(id) FROM organizations), 'edge-' || n || '@' || $3, created, deleted
     FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS u(created, deleted, n)
     ORDER BY n
     RETURNING id`,
    [users.map((u) => u.created), users.map((u) => u.deleted), domain],
  );
  const sessions = users.flatMap((u, i) =>
    u.sessions.map((started) => ({ user: ids.rows[i].id as string, started })),
  );
  await db.sql(
    `INSERT INTO user_sessions (user_id, organization_id, started_at)
     SELECT user_id, (SELECT min(id) FROM organizations), started
     FROM unnest($1::bigint[], $2::timestamptz[]) AS s(user_id, started)`,
    [sessions.map((s) => s.user), sessions.map((s) => s.started)],
  );
}
