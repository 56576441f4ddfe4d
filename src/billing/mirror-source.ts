import type { Reject } from '../shared/reject.js';
import { paymentFailingSince } from './dunning.js';
import { invoicesBySubscription } from './mirror-invoices.js';
import {
  type BillingCustomer,
  type BillingDiscount,
  type BillingItem,
  type BillingPrice,
  type BillingSnapshot,
  type BillingSubscription,
  type PriceTier,
  type SubscriptionStatus,
  subscriptionStatuses,
} from './types.js';

/** The mirror's queries; each may be overridden as long as it returns these columns. */
export const mirrorQueries = {
  customers: {
    sql: 'SELECT id::text AS customer_id, acquisition_channel AS channel FROM organizations',
    columns: ['customer_id', 'channel'],
  },
  subscriptions: {
    sql: `SELECT id, organization_id::text AS customer_id, status, currency, started_at, trial_ends_at,
  cancel_at_period_end, cancel_at, canceled_at, ended_at, current_period_start
FROM billing_subscriptions`,
    columns: [
      'id',
      'customer_id',
      'status',
      'currency',
      'started_at',
      'trial_ends_at',
      'cancel_at_period_end',
      'cancel_at',
      'canceled_at',
      'ended_at',
      'current_period_start',
    ],
  },
  items: {
    sql: `SELECT i.id::text AS item_id, i.subscription_id, i.quantity, p.id AS price_id, p.product_id, p.lookup_key,
  p.tier, p.billing_scheme, p.unit_amount::float8 AS unit_amount, p.tiers_mode, p.tiers,
  p.recurring_interval, p.interval_count, p.usage_type
FROM billing_subscription_items i JOIN billing_prices p ON p.id = i.price_id`,
    columns: [
      'item_id',
      'subscription_id',
      'quantity',
      'price_id',
      'product_id',
      'lookup_key',
      'tier',
      'billing_scheme',
      'unit_amount',
      'tiers_mode',
      'tiers',
      'recurring_interval',
      'interval_count',
      'usage_type',
    ],
  },
  discounts: {
    sql: `SELECT subscription_id, subscription_item_id::text AS item_id, percent_off::float8 AS percent_off,
  amount_off::float8 AS amount_off, currency, duration, ends_at, applies_to_products
FROM billing_discounts`,
    columns: [
      'subscription_id',
      'item_id',
      'percent_off',
      'amount_off',
      'currency',
      'duration',
      'ends_at',
      'applies_to_products',
    ],
  },
  invoices: {
    // Only what can date a current dunning episode: invoices of past-due and unpaid
    // subscriptions from their last paid one on (the engine reads back to it).
    sql: `SELECT i.subscription_id, i.status, i.created_at, i.due_at
FROM billing_invoices i JOIN billing_subscriptions s ON s.id = i.subscription_id
WHERE s.status IN ('past_due', 'unpaid')
  AND i.created_at >= coalesce((SELECT max(p.created_at) FROM billing_invoices p
    WHERE p.subscription_id = i.subscription_id AND p.status = 'paid'), '-infinity')`,
    columns: ['subscription_id', 'status', 'created_at', 'due_at'],
  },
} as const;

export type MirrorQueryName = keyof typeof mirrorQueries;

/** A row the engine cannot use; the source names the row and the column. */
export class BillingRowError extends Error {}

type Row = Record<string, unknown>;

const str = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
const date = (v: unknown) => (v === null || v === undefined ? undefined : new Date(v as string));

function num(row: Row, column: string, where: string): number | undefined {
  const v = row[column];
  if (v === null || v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n))
    throw new BillingRowError(`${where}: column ${column} is not a number ("${String(v)}")`);
  return n;
}

function parseTiers(value: unknown, where: string): PriceTier[] | undefined {
  if (value === null || value === undefined) return undefined;
  const list = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(list)) throw new BillingRowError(`${where}: tiers is not a JSON array`);
  const amount = (value: unknown, field: string) => {
    const n = Number(value ?? 0);
    if (!Number.isFinite(n))
      throw new BillingRowError(`${where}: tiers.${field} is not a number ("${String(value)}")`);
    return n;
  };
  return list.map((tier: Row) => ({
    // Stripe writes the open-ended last tier as "inf"; null means the same here.
    upTo:
      tier.up_to === null || tier.up_to === undefined || tier.up_to === 'inf'
        ? null
        : amount(tier.up_to, 'up_to'),
    unitAmount: amount(tier.unit_amount, 'unit_amount'),
    flatAmount: amount(tier.flat_amount, 'flat_amount'),
  }));
}

function toDiscount(row: Row): BillingDiscount {
  const where = `billing discount of ${String(row.subscription_id)}`;
  const duration = str(row.duration);
  if (duration !== 'once' && duration !== 'repeating' && duration !== 'forever') {
    throw new BillingRowError(`${where}: duration "${duration}" is not once, repeating or forever`);
  }
  const products = row.applies_to_products;
  return {
    percentOff: num(row, 'percent_off', where),
    amountOff: num(row, 'amount_off', where),
    currency: str(row.currency)?.trim().toLowerCase(),
    duration,
    end: date(row.ends_at),
    appliesToProducts: Array.isArray(products) ? products.map(String) : undefined,
  };
}

function toPrice(row: Row, where: string): BillingPrice {
  const interval = str(row.recurring_interval);
  if (interval !== 'day' && interval !== 'week' && interval !== 'month' && interval !== 'year') {
    throw new BillingRowError(
      `${where}: recurring_interval "${interval}" is not day, week, month or year`,
    );
  }
  return {
    id: String(row.price_id),
    productId: String(row.product_id),
    tier: str(row.tier),
    lookupKey: str(row.lookup_key),
    usageType: row.usage_type === 'metered' ? 'metered' : 'licensed',
    interval,
    intervalCount: num(row, 'interval_count', where) ?? 1,
    billingScheme: row.billing_scheme === 'tiered' ? 'tiered' : 'per_unit',
    unitAmount: num(row, 'unit_amount', where),
    tiersMode: row.tiers_mode === 'volume' ? 'volume' : 'graduated',
    tiers: parseTiers(row.tiers, where),
  };
}

/**
 * Builds the engine's snapshot from the mirror rows. A bad row is reported and
 * its subscription left out (so the rest still counts); it is never guessed at.
 */
export function snapshotFromMirrorRows(
  rows: Record<MirrorQueryName, Row[]>,
  reject: Reject,
): BillingSnapshot {
  const bad = new Set<string>();
  const fail = (subscription: string, error: unknown) => {
    bad.add(subscription);
    reject('invalid_billing_row', { subscription, error: (error as Error).message });
  };
  const itemsBySub = new Map<string, (BillingItem & { itemId: string })[]>();
  for (const row of rows.items) {
    const sub = String(row.subscription_id);
    try {
      const where = `billing item ${String(row.item_id)} of ${sub}`;
      const item = {
        itemId: String(row.item_id),
        price: toPrice(row, where),
        quantity: num(row, 'quantity', where),
        discounts: [] as BillingDiscount[],
      };
      itemsBySub.set(sub, [...(itemsBySub.get(sub) ?? []), item]);
    } catch (error) {
      fail(sub, error);
    }
  }
  const subDiscounts = new Map<string, BillingDiscount[]>();
  for (const row of rows.discounts) {
    const sub = String(row.subscription_id);
    try {
      const discount = toDiscount(row);
      const itemId = str(row.item_id);
      const item = itemId ? itemsBySub.get(sub)?.find((i) => i.itemId === itemId) : undefined;
      if (item) (item.discounts as BillingDiscount[]).push(discount);
      else subDiscounts.set(sub, [...(subDiscounts.get(sub) ?? []), discount]);
    } catch (error) {
      fail(sub, error);
    }
  }
  const invoices = invoicesBySubscription(rows.invoices, fail);
  const subscriptions: BillingSubscription[] = [];
  for (const row of rows.subscriptions) {
    const id = String(row.id);
    const status = str(row.status) as SubscriptionStatus;
    if (!subscriptionStatuses.includes(status)) {
      fail(id, new BillingRowError(`billing subscription ${id}: status "${status}" is unknown`));
      continue;
    }
    const startedAt = date(row.started_at);
    if (!startedAt || Number.isNaN(startedAt.getTime())) {
      fail(id, new BillingRowError(`billing subscription ${id}: started_at is missing`));
      continue;
    }
    if (bad.has(id)) continue;
    subscriptions.push({
      id,
      customerId: String(row.customer_id),
      status,
      currency: String(row.currency).trim().toLowerCase(),
      startedAt,
      trialEnd: date(row.trial_ends_at),
      cancelAtPeriodEnd: row.cancel_at_period_end === true,
      cancelAt: date(row.cancel_at),
      canceledAt: date(row.canceled_at),
      endedAt: date(row.ended_at),
      pastDueSince:
        status === 'past_due' || status === 'unpaid'
          ? paymentFailingSince(invoices.get(id), date(row.current_period_start))
          : undefined,
      items: itemsBySub.get(id) ?? [],
      discounts: subDiscounts.get(id) ?? [],
    });
  }
  const customers: BillingCustomer[] = rows.customers.map((row) => ({
    id: String(row.customer_id),
    channel: str(row.channel),
  }));
  return { subscriptions, customers };
}
