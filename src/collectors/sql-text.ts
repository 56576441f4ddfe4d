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
