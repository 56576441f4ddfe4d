import type { BillingSnapshotSource } from '../billing/billing-source.js';
import type { MonthStartStore } from '../billing/month-start-store.js';
import type { SqlSource } from '../sources/sql-source.js';

/** The clients shared by collectors. `events` may be the same database as `app`. */
export interface Sources {
  readonly app: SqlSource;
  readonly events: SqlSource;
  /** Where billing records each month's opening MRR; absent means reconstruct every time. */
  readonly monthStartStore?: MonthStartStore;
  /** Stripe, when an API key is configured. */
  readonly stripe?: BillingSnapshotSource;
}
