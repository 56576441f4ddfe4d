export interface QueryOptions {
  /**
   * Every cell as the text PostgreSQL sends, not parsed into numbers, Dates or
   * objects: a date or a timestamp without time zone then reads the same
   * whatever the process time zone (pg parses those as local time).
   */
  readonly asText?: boolean;
}

/** A function that runs one SQL statement with bound parameters. */
export type QueryFn = (
  sql: string,
  params?: readonly unknown[],
  options?: QueryOptions,
) => Promise<{ rows: Record<string, unknown>[]; columns: string[] }>;

/** A database the collectors may read, and only read. */
export interface SqlSource {
  /**
   * Runs `work` in one read-only, repeatable-read transaction, so that every
   * query of a collector run sees the same snapshot; the statement timeout bounds
   * each query on the server even if the client goes away.
   */
  readOnly<T>(signal: AbortSignal, work: (query: QueryFn) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
