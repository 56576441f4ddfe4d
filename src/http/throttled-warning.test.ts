import { describe, expect, it } from 'vitest';
import { ThrottledWarning } from './throttled-warning.js';

function setup() {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  const clock = { now: 0 };
  const warning = new ThrottledWarning(
    {
      warn: (fields, message) => lines.push({ fields: fields as Record<string, unknown>, message }),
    },
    'refused a delivery',
    60_000,
    () => clock.now,
  );
  return { lines, clock, warning };
}

describe('ThrottledWarning', () => {
  it('logs the first of a window and sums the rest up by outcome when the next window starts', () => {
    const { lines, clock, warning } = setup();
    for (let i = 0; i < 1000; i += 1) {
      clock.now = i * 10;
      warning.warn({ outcome: i % 4 === 0 ? 'stale' : 'bad_signature', reason: `r${i}` });
    }
    expect(lines).toEqual([
      { fields: { outcome: 'stale', reason: 'r0' }, message: 'refused a delivery' },
    ]);
    clock.now = 60_000;
    warning.warn({ outcome: 'malformed', reason: 'next window' });
    expect(lines.slice(1)).toEqual([
      {
        fields: {
          suppressed: 999,
          byOutcome: { bad_signature: 750, stale: 249 },
          windowSeconds: 60,
        },
        message: 'refused a delivery: 999 more within 60s, not logged one by one',
      },
      { fields: { outcome: 'malformed', reason: 'next window' }, message: 'refused a delivery' },
    ]);
  });

  it('reports what it held back on flush (close), and nothing when there was nothing', () => {
    const { lines, warning } = setup();
    warning.flush();
    expect(lines).toEqual([]);
    warning.warn({ outcome: 'stale' });
    warning.warn({ outcome: 'stale' });
    warning.flush();
    expect(lines.map((line) => line.fields.suppressed)).toEqual([undefined, 1]);
    warning.flush();
    expect(lines).toHaveLength(2);
  });
});
