import type { CustomerMrr } from './aggregate.js';
import type { MonthStartStore } from './month-start-store.js';
import type { BillingPolicy } from './policy.js';

/** The first instant of the UTC month containing `at`. */
export function monthStartOf(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/**
 * What an opening MRR depends on besides the subscriptions: the billing source
 * (customer ids differ between Stripe and the mirror) and every policy switch.
 * A stable text, keys sorted, so equal settings always give the same basis.
 */
export function openingBasis(source: string, policy: BillingPolicy): string {
  const sorted = Object.fromEntries(
    Object.entries(policy).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return JSON.stringify({ source, policy: sorted });
}

/** The opening this run compares current MRR with. */
export interface ResolvedOpening {
  readonly mrr: CustomerMrr;
  readonly reconstructed: boolean;
  readonly paidInEarlierMonths: ReadonlySet<string>;
  /** The recorded opening was computed under another source or policy, so it was not used. */
  readonly recordedUnderAnotherBasis: boolean;
}

export interface OpeningSettings {
  readonly now: Date;
  /** `openingBasis` of the running source and policy. */
  readonly basis: string;
  /** An opening first recorded later than this into the month is flagged reconstructed. */
  readonly graceMinutes: number;
}

/**
 * The month's opening: the recorded one when it was computed the way current
 * MRR is; otherwise (another policy or source since) one reconstructed from
 * the subscriptions under the current policy and flagged, because comparing
 * amounts computed two ways fabricates movements (a coupon counted in one and
 * not the other shows as an expansion). The record itself is left alone: the
 * next month is recorded under the policy then running. `reconstruct` gives the
 * opening from the subscriptions' timelines under the running policy (the one `basis` names).
 */
export async function resolveMonthOpening(
  store: MonthStartStore,
  reconstruct: () => CustomerMrr,
  settings: OpeningSettings,
): Promise<ResolvedOpening> {
  const { now, basis } = settings;
  const monthStart = monthStartOf(now);
  const opening = await store.openingFor(monthStart.toISOString().slice(0, 10), basis, () => ({
    mrr: reconstruct(),
    reconstructed: now.getTime() - monthStart.getTime() > settings.graceMinutes * 60_000,
  }));
  if (opening.basis === basis) return { ...opening, recordedUnderAnotherBasis: false };
  return {
    mrr: reconstruct(),
    reconstructed: true,
    paidInEarlierMonths: opening.paidInEarlierMonths,
    recordedUnderAnotherBasis: true,
  };
}
