import { describe, expect, it } from 'vitest';
import {
  bindAtParameter,
  codeOnly,
  highestPlaceholder,
  usesAtParameter,
  withoutTrailingSemicolons,
} from './sql-text.js';

describe('highestPlaceholder', () => {
  it.each([
    ['SELECT 1', 0],
    ['SELECT $1::int', 1],
    ['SELECT $2, $1, $2', 2],
    ['SELECT $10 + $9', 10],
  ])('finds the highest placeholder of %j: %d', (sql, expected) => {
    expect(highestPlaceholder(sql)).toBe(expected);
  });

  it.each([
    ["SELECT '$2' AS a WHERE x > $1", 1],
    ['SELECT 1 -- uses $3 later\n WHERE y = $1', 1],
    ['SELECT /* $9 */ $2, $1', 2],
    ['SELECT "col$4" FROM t WHERE a = $1', 1],
    ["SELECT 'it''s $5' || $3", 3],
    ['SELECT $$costs $5$$ AS p', 0],
    ['SELECT $tag$ $7 $$ $8 $tag$ || $2', 2],
    ["SELECT E'it\\'s $6' || $1", 1],
  ])('ignores placeholders outside code: %j has %i', (sql, expected) => {
    expect(highestPlaceholder(sql)).toBe(expected);
  });
});

describe('codeOnly', () => {
  it('blanks literals and comments without moving the code', () => {
    const sql = 'SELECT \'a;b\' AS x, "c" -- d\nFROM t /* e */';
    const code = codeOnly(sql);
    expect(code).toHaveLength(sql.length);
    expect(code).toBe('SELECT       AS x,     ' + '    \nFROM t        ');
  });
});

describe('withoutTrailingSemicolons', () => {
  it.each([
    ['SELECT 1 AS v;', 'SELECT 1 AS v '],
    ['SELECT 1 AS v; -- done', 'SELECT 1 AS v  -- done'],
    ['SELECT 1 AS v;; /* two */ ;\n', 'SELECT 1 AS v   /* two */  \n'],
    ["SELECT ';' AS v", "SELECT ';' AS v"],
    ["SELECT 'a' AS v -- ends with ;", "SELECT 'a' AS v -- ends with ;"],
    ['SELECT 1; SELECT 2', 'SELECT 1; SELECT 2'],
  ])('%j becomes %j', (sql, expected) => {
    expect(withoutTrailingSemicolons(sql)).toBe(expected);
  });
});

describe('the named parameter $at', () => {
  it.each([
    ['SELECT 1 WHERE t <= $at', true],
    ["SELECT 1 WHERE t > $at - interval '1 day'", true],
    ['SELECT ($at)::date', true],
    ["SELECT '$at' AS a", false],
    ['SELECT 1 -- as of $at', false],
    ['SELECT $at$ quoted $at$ AS a', false],
    ['SELECT x$at FROM t', false],
    ['SELECT $atom', false],
  ])('%j uses it: %s', (sql, expected) => {
    expect(usesAtParameter(sql)).toBe(expected);
  });

  it('becomes the parameter after the highest numbered one, as a timestamptz, everywhere it is used', () => {
    expect(bindAtParameter("SELECT $2 WHERE a > $at - $1 AND b <= $at AND c = '$at'")).toEqual({
      sql: "SELECT $2 WHERE a > ($3::timestamptz) - $1 AND b <= ($3::timestamptz) AND c = '$at'",
      position: 3,
    });
    expect(bindAtParameter('SELECT $at::date')).toEqual({
      sql: 'SELECT ($1::timestamptz)::date',
      position: 1,
    });
  });

  it('leaves SQL without it as it is', () => {
    expect(bindAtParameter('SELECT $1')).toEqual({ sql: 'SELECT $1', position: undefined });
  });
});
