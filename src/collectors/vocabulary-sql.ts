/**
 * SQL that maps source values onto a bounded vocabulary in the database, the
 * way `boundLabel` does in code, for the queries whose counts must be taken
 * over the mapped value: distinct users per feature, where two raw spellings of
 * one feature, or many unknown features under `other`, cannot be added up
 * afterwards; and feature breadth, where only tracked features may count.
 */

/** `expr` normalised as `normalise` does: trimmed, lower case, runs of spaces and hyphens as `_`. */
export function normalisedSql(expr: string): string {
  const trimmed = `regexp_replace(${expr}, '^[[:space:]]+|[[:space:]]+$', '', 'g')`;
  return `regexp_replace(lower(${trimmed}), '[[:space:]-]+', '_', 'g')`;
}

/**
 * The rows (label, key) of the vocabulary in the text[] parameter `param`:
 * the exported spelling and its normalised key. When two entries share a key
 * the first wins, as in `boundLabel`.
 */
export function vocabularySql(param: string): string {
  return `SELECT DISTINCT ON (key) label, key FROM (
    SELECT v.label, ${normalisedSql('v.label')} AS key, v.position
    FROM unnest(${param}::text[]) WITH ORDINALITY AS v(label, position)
  ) AS entries ORDER BY key, position`;
}
