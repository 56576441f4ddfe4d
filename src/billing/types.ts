/**
 * The billing model the engine computes on. Both sources (Stripe and the app
 * database's billing mirror) are mapped onto it, so every definition is
 * implemented once. Amounts are in minor units (cents; yen for JPY).
 */
/** Every subscription status the providers know (Stripe's list). */
export const subscriptionStatuses = [
  'active',
  'past_due',
  'trialing',
  'incomplete',
  'incomplete_expired',
  'unpaid',
  'canceled',
  'paused',
] as const;

export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

export type Interval = 'day' | 'week' | 'month' | 'year';

export interface PriceTier {
  /** Inclusive upper bound of units; null for the last tier. */
  readonly upTo: number | null;
  readonly unitAmount: number;
  readonly flatAmount: number;
}

export interface BillingPrice {
  readonly id: string;
  readonly productId: string;
  /** The tier (starter, professional, business, enterprise...) when the source says so directly. */
  readonly tier?: string;
  readonly lookupKey?: string;
  readonly usageType: 'licensed' | 'metered';
  readonly interval: Interval;
  readonly intervalCount: number;
  readonly billingScheme: 'per_unit' | 'tiered';
  /** Per-unit amount in minor units; may be fractional (unit_amount_decimal). */
  readonly unitAmount?: number;
  readonly tiersMode?: 'volume' | 'graduated';
  readonly tiers?: readonly PriceTier[];
  readonly transformQuantity?: { readonly divideBy: number; readonly round: 'up' | 'down' };
}

export interface BillingDiscount {
  readonly percentOff?: number;
  /** Off each invoice, in minor units of `currency`. */
  readonly amountOff?: number;
  readonly currency?: string;
  readonly duration: 'once' | 'repeating' | 'forever';
  /** When the discount stops applying (repeating coupons). */
  readonly end?: Date;
  /** Products the coupon is limited to; all when absent. */
  readonly appliesToProducts?: readonly string[];
}

export interface BillingItem {
  readonly price: BillingPrice;
  /** Absent for metered items. */
  readonly quantity?: number;
  readonly discounts: readonly BillingDiscount[];
}

/** Stripe's invoice statuses; `open` and `uncollectible` are unpaid. */
export const invoiceStatuses = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;

export type InvoiceStatus = (typeof invoiceStatuses)[number];

/** What dating a payment failure needs of an invoice of the subscription. */
export interface BillingInvoice {
  readonly status: InvoiceStatus;
  readonly createdAt: Date;
  /**
   * When payment was first due: a sent invoice's due date; for one charged
   * automatically, its finalization (the first charge attempt). `createdAt` when absent.
   */
  readonly dueAt?: Date;
}

export interface BillingSubscription {
  readonly id: string;
  readonly customerId: string;
  readonly status: SubscriptionStatus;
  /** ISO 4217, lower case as Stripe spells it. */
  readonly currency: string;
  readonly startedAt: Date;
  readonly trialEnd?: Date;
  readonly cancelAtPeriodEnd: boolean;
  /** When the cancellation was requested (Stripe canceled_at). */
  readonly canceledAt?: Date;
  /** A scheduled cancellation date. */
  readonly cancelAt?: Date;
  /** When the subscription actually ended (canceled and no longer running). */
  readonly endedAt?: Date;
  /**
   * past_due / unpaid: when payment first failed in the current dunning episode
   * (`paymentFailingSince`, the same for both sources); the grace clock starts there.
   */
  readonly pastDueSince?: Date;
  readonly items: readonly BillingItem[];
  /** Subscription-level discounts; the customer's discount when the subscription has none. */
  readonly discounts: readonly BillingDiscount[];
  /**
   * When the current items came into force (Stripe: the last plan change its paid invoices
   * show, `withItemHistory`). Before it the subscription had other items: `itemHistory` gives
   * them where paid invoices show them. Absent when no change is known (the billing mirror).
   */
  readonly itemsSince?: Date;
  /** Items in force over past billing periods, rebuilt from paid invoices' line items. */
  readonly itemHistory?: readonly ItemPeriod[];
}

/** The items and discounts a paid invoice billed for one period (`from` inclusive, `to` exclusive). */
export interface ItemPeriod {
  readonly from: Date;
  readonly to: Date;
  readonly items: readonly BillingItem[];
  readonly discounts: readonly BillingDiscount[];
}

export interface BillingCustomer {
  readonly id: string;
  /** Acquisition channel, for revenue by channel. */
  readonly channel?: string;
}

/** What a source delivers for one computation. */
export interface BillingSnapshot {
  readonly subscriptions: readonly BillingSubscription[];
  readonly customers: readonly BillingCustomer[];
}
