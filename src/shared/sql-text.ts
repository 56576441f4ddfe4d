/**
 * String literals (plain, E'' escapes, dollar-quoted), quoted identifiers and
 * comments: text that is not SQL code, so a `$1` or `;` in it means nothing.
 */
const notCode =
  /(?<![A-Za-z0-9_])[eE]'(?:[^'\\]|\\[\s\S]|'')*'|'(?:[^']|'')*'|"(?:[^"]|"")*"|\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\1\$|--[^\n]*|\/\*[\s\S]*?\*\//g;

/**
 * The SQL with literals, quoted identifiers and comments blanked out, keeping
 * every character's position, so what is found in it can be cut from the original.
 */
export function codeOnly(sql: string): string {
  return sql.replace(notCode, (text) => text.replace(/[^\n]/g, ' '));
}

/** The highest `$n` bind parameter the SQL references (0 for none). */
export function highestPlaceholder(sql: string): number {
  let highest = 0;
  for (const match of codeOnly(sql).matchAll(/\$(\d+)/g)) {
    highest = Math.max(highest, Number(match[1]));
  }
  return highest;
}

/**
 * The SQL without the semicolons that end it, even when comments follow them
 * (`SELECT 1; -- done`), so that it can be used as a subquery.
 */
export function withoutTrailingSemicolons(sql: string): string {
  const code = codeOnly(sql);
  const cut = new Set<number>();
  for (let at = code.length - 1; at >= 0 && /[\s;]/.test(code.charAt(at)); at -= 1) {
    if (code.charAt(at) === ';') cut.add(at);
  }
  // split('') walks UTF-16 code units, the same positions as codeOnly's.
  return sql
    .split('')
    .map((char, at) => (cut.has(at) ? ' ' : char))
    .join('');
}

/**
 * `$at`, the named parameter for the instant a query computes as of (see
 * as-of.ts). Named, not numbered, so that it is spelled the same in every
 * default query, override and custom query, and adding it moved no existing
 * `$n`. Not part of an identifier (`x$at`) or of a dollar quote (`$at$`).
 */
const atParameter = /(?<![A-Za-z0-9_$])\$at(?![A-Za-z0-9_$])/g;

/** Whether the SQL code (not its literals or comments) uses `$at`. */
export function usesAtParameter(sql: string): boolean {
  return codeOnly(sql).search(atParameter) >= 0;
}

/**
 * The SQL with each `$at` turned into the bind parameter after its highest
 * `$n`, as a timestamptz (so `$at - interval '7 days'` needs no cast), and
 * that parameter's number; `position` is undefined when `$at` is not used.
 */
export function bindAtParameter(sql: string): { sql: string; position: number | undefined } {
  const matches = [...codeOnly(sql).matchAll(atParameter)];
  if (matches.length === 0) return { sql, position: undefined };
  const position = highestPlaceholder(sql) + 1;
  let out = '';
  let from = 0;
  for (const match of matches) {
    out += `${sql.slice(from, match.index)}($${position}::timestamptz)`;
    from = match.index + match[0].length;
  }
  return { sql: out + sql.slice(from), position };
}
