import { describe, expect, it } from 'vitest';
import {
  applyContract,
  boundStatement,
  type ContractRow,
  columnValue,
  optionalColumnValue,
  parseNumericCell,
  QueryContractError,
  type QuerySpec,
  queryWithContract,
} from './query-contract.js';
import type { QueryFn } from './sql-source.js';

type Rejection = { reason: string; detail: Record<string, unknown> };

/** A reject function that records what it was given. */
function recorder(): {
  reject: (reason: string, detail: Record<string, unknown>) => void;
  calls: Rejection[];
} {
  const calls: Rejection[] = [];
  return { reject: (reason, detail) => calls.push({ reason, detail }), calls };
}

describe('parseNumericCell', () => {
  it.each([
    ['an integer', 42, 42],
    ['a negative float', -1.5, -1.5],
    ['zero', 0, 0],
    ['an integer string (pg bigint)', '42', 42],
    ['a decimal string (pg numeric)', '-3.25', -3.25],
    ['an exponent string', '1e3', 1000],
    ['a bigint', 9007199254740991n, 9007199254740991],
  ])('parses %s', (_, cell, expected) => {
    expect(parseNumericCell(cell)).toBe(expected);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
  ])('returns null for %s (a SQL NULL)', (_, cell) => {
    expect(parseNumericCell(cell)).toBeNull();
  });

  it.each([
    ['an empty string', ''],
    ['a blank string', '   '],
    ['a word', 'abc'],
    ['a number followed by text', '12abc'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['the string "Infinity"', 'Infinity'],
    ['a boolean', true],
    ['an object', { value: 1 }],
  ])('returns undefined (not a number) for %s', (_, cell) => {
    expect(parseNumericCell(cell)).toBeUndefined();
  });
});

describe('applyContract', () => {
  const spec: QuerySpec = { sql: 'SELECT …', labels: ['channel'], values: ['spend', 'clicks'] };

  it.each([
    [['channel', 'clicks'], ['spend']],
    [['channel'], ['spend', 'clicks']],
    [['spend', 'clicks'], ['channel']],
  ])('with columns %j throws a QueryContractError naming %j', (columns, missing) => {
    const { reject, calls } = recorder();
    let thrown: unknown;
    try {
      applyContract('spend_by_channel', spec, columns, [], reject);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(QueryContractError);
    const message = (thrown as Error).message;
    expect(message).toContain('"spend_by_channel"');
    for (const column of missing) expect(message).toContain(`"${column}"`);
    expect(message).toContain(`got [${columns.join(', ')}]`);
    expect(calls).toEqual([]);
  });

  it('accepts extra columns beyond the contract and ignores them', () => {
    const rows = applyContract(
      'q',
      spec,
      ['channel', 'spend', 'clicks', 'extra'],
      [{ channel: 'paid', spend: 1, clicks: 2, extra: 'x' }],
      recorder().reject,
    );
    expect(rows).toEqual([{ labels: { channel: 'paid' }, values: { spend: 1, clicks: 2 } }]);
  });

  it('parses numeric strings and keeps labels as strings', () => {
    const rows = applyContract(
      'q',
      spec,
      ['channel', 'spend', 'clicks'],
      [{ channel: 2024, spend: '10.50', clicks: '7' }],
      recorder().reject,
    );
    expect(rows).toEqual([{ labels: { channel: '2024' }, values: { spend: 10.5, clicks: 7 } }]);
  });

  it('keeps a NULL label as null', () => {
    const rows = applyContract(
      'q',
      spec,
      ['channel', 'spend', 'clicks'],
      [{ channel: null, spend: 1, clicks: 1 }],
      recorder().reject,
    );
    expect(rows).toEqual([{ labels: { channel: null }, values: { spend: 1, clicks: 1 } }]);
  });

  it.each([
    ['a NULL value', null, 'null_value'],
    ['a non-numeric value', 'lots', 'not_a_number'],
  ])('leaves out a row with %s, reports it, and keeps the other rows', (_, bad, reason) => {
    const { reject, calls } = recorder();
    const rows = applyContract(
      'spend_by_channel',
      spec,
      ['channel', 'spend', 'clicks'],
      [
        { channel: 'paid', spend: '5', clicks: bad },
        { channel: 'organic', spend: '10.5', clicks: 2 },
      ],
      reject,
    );
    expect(rows).toEqual([{ labels: { channel: 'organic' }, values: { spend: 10.5, clicks: 2 } }]);
    expect(calls).toEqual([
      {
        reason,
        detail: expect.objectContaining({
          query: 'spend_by_channel',
          column: 'clicks',
          labels: { channel: 'paid' },
        }),
      },
    ]);
  });

  it('reports a row with several bad values once', () => {
    const { reject, calls } = recorder();
    const rows = applyContract(
      'q',
      spec,
      ['channel', 'spend', 'clicks'],
      [{ channel: 'paid', spend: null, clicks: 'x' }],
      reject,
    );
    expect(rows).toEqual([]);
    expect(calls).toHaveLength(1);
  });
});

describe('applyContract with an optional value column', () => {
  const spec: QuerySpec = {
    sql: 'SELECT …',
    labels: ['priority'],
    values: ['seconds'],
    optionalValues: ['tickets'],
  };

  it('reads the optional column when the result has it', () => {
    const rows = applyContract(
      'q',
      spec,
      ['priority', 'seconds', 'tickets'],
      [{ priority: 'high', seconds: '2.5', tickets: '4' }],
      recorder().reject,
    );
    expect(rows).toEqual([{ labels: { priority: 'high' }, values: { seconds: 2.5, tickets: 4 } }]);
    expect(optionalColumnValue(rows[0] as ContractRow, 'tickets')).toBe(4);
  });

  it('accepts a result without it (an override older than the column)', () => {
    const rows = applyContract(
      'q',
      spec,
      ['priority', 'seconds'],
      [{ priority: 'high', seconds: '2.5' }],
      recorder().reject,
    );
    expect(rows).toEqual([{ labels: { priority: 'high' }, values: { seconds: 2.5 } }]);
    expect(optionalColumnValue(rows[0] as ContractRow, 'tickets')).toBeUndefined();
  });

  it('rejects a row whose present optional column is NULL, like any value column', () => {
    const { reject, calls } = recorder();
    const rows = applyContract(
      'q',
      spec,
      ['priority', 'seconds', 'tickets'],
      [
        { priority: 'high', seconds: '2.5', tickets: null },
        { priority: 'low', seconds: '1', tickets: '1' },
      ],
      reject,
    );
    expect(rows).toEqual([{ labels: { priority: 'low' }, values: { seconds: 1, tickets: 1 } }]);
    expect(calls).toEqual([
      { reason: 'null_value', detail: expect.objectContaining({ column: 'tickets' }) },
    ]);
  });

  it('still requires the other columns, and does not name the optional one', () => {
    expect(() => applyContract('q', spec, ['priority', 'tickets'], [], recorder().reject)).toThrow(
      /missing column\(s\) "seconds":/,
    );
  });
});

describe('queryWithContract', () => {
  /** A query function that records its calls and answers with one row. */
  function fakeQuery(seen: { sql: string; params: readonly unknown[] | undefined }[]): QueryFn {
    return async (sql, params) => {
      seen.push({ sql, params });
      return { columns: ['channel', 'spend'], rows: [{ channel: 'paid', spend: '3' }] };
    };
  }

  it('runs the spec SQL and applies the contract to the result', async () => {
    const seen: { sql: string; params: readonly unknown[] | undefined }[] = [];
    const spec: QuerySpec = {
      sql: 'SELECT channel, spend WHERE d > $1',
      labels: ['channel'],
      values: ['spend'],
    };
    const rows = await queryWithContract(fakeQuery(seen), 'q', spec, [7], recorder().reject);
    expect(seen).toEqual([{ sql: spec.sql, params: [7] }]);
    expect(rows).toEqual([{ labels: { channel: 'paid' }, values: { spend: 3 } }]);
  });

  it.each([
    ['SELECT channel, spend', []],
    ['SELECT channel, spend WHERE d > $1', [30]],
    ['SELECT channel, spend WHERE d > $1 AND c = $2', [30, 'eu']],
  ])('binds only the parameters that %j references', async (sql, expected) => {
    const seen: { sql: string; params: readonly unknown[] | undefined }[] = [];
    const spec: QuerySpec = { sql, labels: ['channel'], values: ['spend'] };
    await queryWithContract(fakeQuery(seen), 'q', spec, [30, 'eu'], recorder().reject);
    expect(seen.map((call) => call.params)).toEqual([expected]);
  });
});

describe('columnValue', () => {
  const row = { labels: {}, values: { spend: 12 } };

  it('returns a value column', () => {
    expect(columnValue(row, 'spend')).toBe(12);
  });

  it('throws for a column that is not a value column', () => {
    expect(() => columnValue(row, 'clicks')).toThrow('"clicks"');
  });
});

describe('parseNumericCell', () => {
  it('treats a bigint beyond float range as not a number', () => {
    expect(parseNumericCell(10n ** 400n)).toBeUndefined();
  });
});

describe('boundStatement', () => {
  const at = new Date('2024-03-01T00:00:00.000Z');

  it('binds the numbered parameters the SQL uses, then the instant for $at', () => {
    expect(boundStatement('q', 'SELECT $1 WHERE t <= $at', [30, 'unused'], at)).toEqual({
      sql: 'SELECT $1 WHERE t <= ($2::timestamptz)',
      params: [30, '2024-03-01T00:00:00.000Z'],
    });
  });

  it('binds no instant to SQL without $at (a live-only override)', () => {
    expect(boundStatement('q', 'SELECT 1', [30], at)).toEqual({ sql: 'SELECT 1', params: [] });
  });

  it('refuses $at without an instant, naming the query', () => {
    expect(() => boundStatement('q', 'SELECT $at', [], undefined)).toThrow(
      'query "q" uses $at, but this query is not given an instant',
    );
  });

  it('refuses a numbered parameter beyond those given, which would shift $at', () => {
    expect(() => boundStatement('q', 'SELECT $3, $at', [1, 2], at)).toThrow(
      'query "q" uses $3, but it has 2 parameter(s) ($1 to $2) besides $at',
    );
  });
});
