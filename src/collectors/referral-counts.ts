/**
 * Lifetime referral counts that only rise while the process runs, although
 * rows of the referrals table can be deleted. Each round adds the invitations
 * sent and completed since the previous round, by their `sent_at` and
 * `completed_at` against the database clock, so a deleted row never lowers a
 * total, and neither deleting the newest rows nor a truncated table (ids
 * restarted) is mistaken for anything else. A periodic recount of the whole
 * table picks up rows that committed after their time was passed; it only
 * raises a total.
 */
export interface ReferralState {
  sent: number;
  completed: number;
  /** The database time up to which rows were counted (timestamptz text); undefined before the first count. */
  countedUpTo: string | undefined;
  lastRecountAt: number;
}

export function createReferralState(): ReferralState {
  return { sent: 0, completed: 0, countedUpTo: undefined, lastRecountAt: 0 };
}

export interface ReferralRoundPlan {
  /** Count the whole table (first round, periodic recount). */
  readonly recount: boolean;
  /** Rows sent or completed after this time are new (null: all). */
  readonly after: string | null;
}

export function planReferralRound(
  state: ReferralState,
  now: number,
  recountIntervalMs: number,
): ReferralRoundPlan {
  const recount = state.countedUpTo === undefined || now - state.lastRecountAt >= recountIntervalMs;
  return { recount, after: recount ? null : (state.countedUpTo ?? null) };
}

/** Applies a round's counts up to `asOf`, once the whole round was read. */
export function applyReferralRound(
  state: ReferralState,
  plan: ReferralRoundPlan,
  read: { sent: number; completed: number; asOf: string },
  now: number,
): void {
  // A recount only raises: rows deleted since must not lower a total.
  state.sent = plan.recount ? Math.max(state.sent, read.sent) : state.sent + read.sent;
  state.completed = plan.recount
    ? Math.max(state.completed, read.completed)
    : state.completed + read.completed;
  if (plan.recount) state.lastRecountAt = now;
  state.countedUpTo = read.asOf;
}
