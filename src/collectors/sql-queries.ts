import { z } from 'zod';
import type { Reject } from '../shared/reject.js';
import { usesAtParameter } from '../shared/sql-text.js';
import { type ContractRow, type QuerySpec, queryWithContract } from '../sources/query-contract.js';
import type { QueryFn } from '../sources/sql-source.js';

/**
 * The `queries` option of a SQL collector: each default query may be replaced
 * by the user's SQL, which must return the same columns (its contract).
 */
export function queryOverridesSchema<K extends string>(defaults: Record<K, QuerySpec>) {
  const shape = Object.fromEntries(
    Object.entries<QuerySpec>(defaults).map(([name, spec]) => [
      name,
      z
        .string()
        .min(1)
        .optional()
        .describe(
          `Replaces query "${name}": label columns [${spec.labels.join(', ')}], value columns [${spec.values.join(', ')}]${spec.optionalValues?.length ? ` and optionally [${spec.optionalValues.join(', ')}]` : ''}.${usesAtParameter(spec.sql) ? ' Use `$at` for the instant computed as of (without it: live-only).' : ''}`,
        ),
    ]),
  ) as Record<K, z.ZodOptional<z.ZodString>>;
  return z
    .object(shape)
    .strict()
    .prefault({} as never);
}

/** The query to run: the override's SQL under the default's contract. */
export function resolveQuery<K extends string>(
  defaults: Record<K, QuerySpec>,
  overrides: Partial<Record<K, string | undefined>> | undefined,
  name: K,
): QuerySpec {
  const spec = defaults[name];
  const sql = overrides?.[name];
  return sql ? { ...spec, sql } : spec;
}

/**
 * Runs the (possibly overridden) query `name` and validates its rows; `at` is
 * the instant its `$at` stands for.
 */
export async function runNamedQuery<K extends string>(
  query: QueryFn,
  defaults: Record<K, QuerySpec>,
  overrides: Partial<Record<K, string | undefined>> | undefined,
  name: K,
  params: readonly unknown[],
  reject: Reject,
  at?: Date,
): Promise<ContractRow[]> {
  const spec = resolveQuery(defaults, overrides, name);
  return queryWithContract(query, name, spec, params, reject, at);
}
