import { describe, expect, it } from 'vitest';
import { StripeSyncPolicy } from './stripe-sync-policy.js';

const hour = 3_600_000;

/** A policy whose first full sync finished at `at` after `requests` requests. */
function synced(intervalMs = hour, at = 0, requests = 10): StripeSyncPolicy {
  const policy = new StripeSyncPolicy(intervalMs);
  policy.nextRound(at);
  policy.fullSyncStarting();
  policy.fullSyncDone(at, requests);
  return policy;
}

describe('StripeSyncPolicy', () => {
  it('takes no webhook before billing first asks for Stripe, and makes that first round full', () => {
    const policy = new StripeSyncPolicy(hour);
    expect(policy.state).toEqual({ kind: 'unread' });
    expect(policy.takesWebhooks).toBe(false);
    expect(policy.nextRound(0)).toBe('full');
    expect(policy.state).toEqual({ kind: 'full_owed' });
    expect(policy.takesWebhooks).toBe(true);
  });

  it('reads events only after a finished full sync, until its interval has passed', () => {
    const policy = synced(hour, 1_000, 12);
    expect(policy.state).toEqual({ kind: 'synced', fullSyncAtMs: 1_000, fullSyncRequests: 12 });
    expect(policy.nextRound(1_000 + hour - 1)).toBe('incremental');
    expect(policy.nextRound(1_000 + hour)).toBe('full');
  });

  it('owes a full sync that started and failed: the next round is full again', () => {
    const policy = synced();
    policy.fullSyncStarting();
    // The sync threw before fullSyncDone.
    expect(policy.state).toEqual({ kind: 'full_owed' });
    expect(policy.nextRound(1)).toBe('full');
  });

  it('makes every round full with an interval of 0', () => {
    expect(synced(0).nextRound(1)).toBe('full');
  });

  it('gives up on events costing more than the full sync did', () => {
    const policy = synced(hour, 0, 10);
    expect(policy.incrementalBudget).toBe(10);
    expect(policy.fullSyncCheaper(10)).toBe(false);
    expect(policy.fullSyncCheaper(11)).toBe(true);
  });

  it('after the events list is refused, syncs in full until an interval later, warns once, and says when it answers again', () => {
    const policy = synced(hour, 0);
    expect(policy.eventsRefused(10)).toBe(true);
    expect(policy.eventsRefused(20)).toBe(false);
    // A later full sync does not forget the refusal.
    policy.fullSyncStarting();
    policy.fullSyncDone(30, 10);
    expect(policy.nextRound(40)).toBe('full');
    expect(policy.nextRound(20 + hour)).toBe('incremental');
    expect(policy.eventsAnswered()).toBe(true);
    expect(policy.eventsAnswered()).toBe(false);
    expect(policy.nextRound(50)).toBe('incremental');
  });
});
