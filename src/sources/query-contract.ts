import type { Reject } from '../shared/reject.js';
import { bindAtParameter, highestPlaceholder } from '../shared/sql-text.js';
import type { QueryFn } from './sql-source.js';

/**
 * A query and its column contract: which columns become labels and which hold
 * values. Default queries and user overrides are held to the same contract.
 */
export interface QuerySpec {
  readonly sql: string;
  readonly labels: readonly string[];
  readonly values: readonly string[];
  /**
   * Value columns read when the result has them, checked like `values` then.
   * A default query may gain one without breaking overrides written before it
   * existed; the reader decides what its absence means (`optionalColumnValue`).
   */
  readonly optionalValues?: readonly string[];
}

export interface ContractRow {
  readonly labels: Record<string, string | null>;
  readonly values: Record<string, number>;
}

/**
 * The one column contract every SQL query is held to, default or override:
 * the result must have the columns the query's reader needs, checked before any
 * row is read. Collectors name label and value columns (`QuerySpec`); the
 * billing mirror names the columns it maps onto a snapshot.
 */
export class QueryContractError extends Error {
  constructor(
    queryName: string,
    missing: readonly string[],
    expected: string,
    got: readonly string[],
    what = 'query',
  ) {
    super(
      `${what} "${queryName}" is missing column(s) ${missing.map((c) => `"${c}"`).join(', ')}` +
        `${expected}, got [${got.join(', ')}]`,
    );
    this.name = 'QueryContractError';
  }
}

/** Throws a QueryContractError naming every column of `required` that `got` lacks. */
export function requireColumns(
  queryName: string,
  required: readonly string[],
  got: readonly string[],
  expected = '',
  what = 'query',
): void {
  const missing = required.filter((column) => !got.includes(column));
  if (missing.length > 0) throw new QueryContractError(queryName, missing, expected, got, what);
}

/**
 * Parses a value cell. pg returns bigint and numeric as strings, so numeric
 * strings are accepted; anything else is not a number.
 */
export function parseNumericCell(cell: unknown): number | null | undefined {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined;
  if (typeof cell === 'bigint') return Number.isFinite(Number(cell)) ? Number(cell) : undefined;
  if (typeof cell === 'string' && cell.trim() !== '') {
    const parsed = Number(cell);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/**
 * Validates raw rows against a contract. A row with a NULL or non-numeric value
 * is rejected through `reject` (counted and logged by the runner) and left out;
 * the rest of the rows still count.
 */
export function applyContract(
  queryName: string,
  spec: QuerySpec,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  reject: Reject,
): ContractRow[] {
  requireColumns(
    queryName,
    [...spec.labels, ...spec.values],
    columns,
    `: expected label columns [${spec.labels.join(', ')}] and value columns [${spec.values.join(', ')}]`,
  );

  const present = (spec.optionalValues ?? []).filter((column) => columns.includes(column));
  const valueColumns = [...spec.values, ...present];
  const accepted: ContractRow[] = [];
  for (const row of rows) {
    const labels: Record<string, string | null> = {};
    for (const column of spec.labels) {
      const cell = row[column];
      labels[column] = cell === null || cell === undefined ? null : String(cell);
    }
    const values: Record<string, number> = {};
    let ok = true;
    for (const column of valueColumns) {
      const parsed = parseNumericCell(row[column]);
      if (parsed === null || parsed === undefined) {
        const reason = parsed === null ? 'null_value' : 'not_a_number';
        reject(reason, { query: queryName, column, value: String(row[column]), labels });
        ok = false;
        break;
      }
      values[column] = parsed;
    }
    if (ok) accepted.push({ labels, values });
  }
  return accepted;
}

/**
 * The statement and parameters to send: the positional `params` the SQL
 * references, then `at` for `$at` (the instant computed as of, see as-of.ts).
 * An override may use fewer of the default's parameters (or none), and
 * PostgreSQL refuses more parameters than the statement references.
 */
export function boundStatement(
  queryName: string,
  sql: string,
  params: readonly unknown[],
  at: Date | undefined,
): { sql: string; params: unknown[] } {
  const highest = highestPlaceholder(sql);
  const bound = params.slice(0, highest);
  const named = bindAtParameter(sql);
  if (named.position === undefined) return { sql, params: bound };
  if (at === undefined)
    throw new Error(`query "${queryName}" uses $at, but this query is not given an instant`);
  if (bound.length < highest)
    throw new Error(
      `query "${queryName}" uses $${highest}, but it has ${params.length} parameter(s) ($1 to $${params.length}) besides $at`,
    );
  return { sql: named.sql, params: [...bound, at.toISOString()] };
}

/**
 * Runs a query and applies its contract in one step. Cells come as the text
 * PostgreSQL prints: labels are text anyway, and a date or timestamp label
 * then does not depend on the process time zone; values parse from text.
 */
export async function queryWithContract(
  query: QueryFn,
  queryName: string,
  spec: QuerySpec,
  params: readonly unknown[],
  reject: Reject,
  at?: Date,
): Promise<ContractRow[]> {
  const statement = boundStatement(queryName, spec.sql, params, at);
  const result = await query(statement.sql, statement.params, { asText: true });
  return applyContract(queryName, spec, result.columns, result.rows, reject);
}

/** A value column of a validated row; the contract guarantees it is present. */
export function columnValue(row: ContractRow, column: string): number {
  const value = row.values[column];
  if (value === undefined)
    throw new Error(`column "${column}" is not a value column of this query`);
  return value;
}

/** An optional value column of a validated row: undefined when the query's result lacks it. */
export function optionalColumnValue(row: ContractRow, column: string): number | undefined {
  return row.values[column];
}
