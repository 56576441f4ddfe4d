import { describe, expect, it } from 'vitest';
import { coalesced } from './coalesced.js';

/** A task that waits for the test to release each run, counting runs and overlaps. */
function gatedTask() {
  const gates: (() => void)[] = [];
  const state = { runs: 0, running: 0, mostAtOnce: 0 };
  const task = async () => {
    state.runs += 1;
    state.running += 1;
    state.mostAtOnce = Math.max(state.mostAtOnce, state.running);
    await new Promise<void>((resolve) => gates.push(resolve));
    state.running -= 1;
    return state.runs;
  };
  const releaseNext = async () => {
    while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
    gates.shift()?.();
  };
  return { task, state, releaseNext };
}

describe('coalesced', () => {
  it('runs a burst of calls made during a run once more after it, never two at a time', async () => {
    const { task, state, releaseNext } = gatedTask();
    const reload = coalesced(task);
    const first = reload.run();
    const burst = Array.from({ length: 10 }, () => reload.run());
    await releaseNext();
    expect(await first).toBe(1);
    await releaseNext();
    // All ten share the one follow-up run, which started after the first ended.
    expect(await Promise.all(burst)).toEqual(Array(10).fill(2));
    expect(state).toMatchObject({ runs: 2, mostAtOnce: 1 });
  });

  it('starts afresh once idle, and reports idle only when nothing runs or waits', async () => {
    const { task, state, releaseNext } = gatedTask();
    const reload = coalesced(task);
    const first = reload.run();
    const second = reload.run();
    let idle = false;
    const whenIdle = reload.idle().then(() => {
      idle = true;
    });
    await releaseNext();
    await first;
    expect(idle).toBe(false);
    await releaseNext();
    await second;
    await whenIdle;
    expect(idle).toBe(true);
    const third = reload.run();
    await releaseNext();
    expect(await third).toBe(3);
    expect(state.runs).toBe(3);
  });

  it('runs the follow-up even when the run before it failed', async () => {
    let calls = 0;
    const reload = coalesced(async () => {
      calls += 1;
      await new Promise((resolve) => setImmediate(resolve));
      if (calls === 1) throw new Error('first fails');
      return calls;
    });
    const first = reload.run();
    const second = reload.run();
    await expect(first).rejects.toThrow('first fails');
    expect(await second).toBe(2);
  });
});
