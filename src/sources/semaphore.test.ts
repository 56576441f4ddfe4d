import { setImmediate as flush } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.js';

const never = new AbortController().signal;

/** Whether a promise has settled once pending callbacks have run. */
async function state(promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let result: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(
    () => {
      result = 'resolved';
    },
    () => {
      result = 'rejected';
    },
  );
  await flush();
  return result;
}

describe('Semaphore', () => {
  it.each([1, 2, 3])('never lets more than %d holders in at once', async (size) => {
    const semaphore = new Semaphore(size);
    let holders = 0;
    let most = 0;
    let done = 0;
    const task = async () => {
      const release = await semaphore.acquire(never);
      holders += 1;
      most = Math.max(most, holders);
      await flush();
      holders -= 1;
      done += 1;
      release();
    };
    await Promise.all(Array.from({ length: 8 }, task));
    expect(most).toBe(size);
    expect(done).toBe(8);
  });

  it('grants waiters in the order they asked', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire(never);
    const order: string[] = [];
    const waiters = ['a', 'b', 'c'].map((name) =>
      semaphore.acquire(never).then((next) => {
        order.push(name);
        next();
      }),
    );
    release();
    await Promise.all(waiters);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('rejects a waiter whose signal aborts, with the signal reason, and frees its place', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire(never);
    const controller = new AbortController();
    const reason = new Error('run timed out');
    const abandoned = semaphore.acquire(controller.signal);
    const next = semaphore.acquire(never);

    controller.abort(reason);
    await expect(abandoned).rejects.toBe(reason);

    release();
    expect(await state(next)).toBe('resolved');
    (await next)();

    // The aborted waiter took no slot: one holder at a time still.
    const again = await semaphore.acquire(never);
    expect(await state(semaphore.acquire(never))).toBe('pending');
    again();
  });

  it('refuses an already aborted signal without taking a slot', async () => {
    const semaphore = new Semaphore(1);
    const controller = new AbortController();
    const reason = new Error('already cancelled');
    controller.abort(reason);

    await expect(Promise.resolve().then(() => semaphore.acquire(controller.signal))).rejects.toBe(
      reason,
    );
    expect(await state(semaphore.acquire(never))).toBe('resolved');
  });

  it('ignores a second release of the same slot when nobody waits', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire(never);
    release();
    release();

    await semaphore.acquire(never);
    expect(await state(semaphore.acquire(never))).toBe('pending');
  });

  it('ignores a second release of the same slot when others wait', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire(never);
    const first = semaphore.acquire(never);
    const second = semaphore.acquire(never);

    release();
    release();

    expect(await state(first)).toBe('resolved');
    expect(await state(second)).toBe('pending');
  });
});
