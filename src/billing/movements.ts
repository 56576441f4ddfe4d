import type { CustomerMrr } from './aggregate.js';

export const movementKinds = ['new', 'expansion', 'contraction', 'churn', 'reactivation'] as const;
export type MovementKind = (typeof movementKinds)[number];

export interface CurrencyMovements {
  readonly start: number;
  readonly end: number;
  /** MRR moved by kind; contraction and churn are positive amounts lost. */
  readonly amounts: Record<MovementKind, number>;
}

export interface MovementReport {
  readonly byCurrency: Map<string, CurrencyMovements>;
  /** Customers per movement kind, judged on their MRR across all currencies. */
  readonly customers: Record<MovementKind, number>;
  readonly payingAtStart: number;
  readonly payingAtEnd: number;
}

const zero = (): Record<MovementKind, number> => ({
  new: 0,
  expansion: 0,
  contraction: 0,
  churn: 0,
  reactivation: 0,
});

/** One customer's movement from start to end MRR; undefined when unchanged. */
export function classify(
  start: number,
  end: number,
  paidBefore: boolean,
): MovementKind | undefined {
  if (start <= 0 && end > 0) return paidBefore ? 'reactivation' : 'new';
  if (start > 0 && end <= 0) return 'churn';
  if (end > start) return 'expansion';
  if (end < start) return 'contraction';
  return undefined;
}

/**
 * Movements between two per-customer MRR maps, classified per customer (a plan
 * swap is an expansion or contraction, never churn plus new). By construction
 * start + new + reactivation + expansion − contraction − churn = end, per currency.
 * `paidBefore` holds customers who paid at some time before the period.
 */
export function computeMovements(
  start: CustomerMrr,
  end: CustomerMrr,
  paidBefore: ReadonlySet<string>,
): MovementReport {
  const byCurrency = new Map<
    string,
    { start: number; end: number; amounts: Record<MovementKind, number> }
  >();
  const customers = zero();
  const total = (mrr: Map<string, number> | undefined) =>
    [...(mrr?.values() ?? [])].reduce((a, b) => a + b, 0);
  for (const customer of new Set([...start.keys(), ...end.keys()])) {
    const before = start.get(customer);
    const after = end.get(customer);
    const customerKind = classify(total(before), total(after), paidBefore.has(customer));
    if (customerKind) customers[customerKind] += 1;
    for (const currency of new Set([...(before?.keys() ?? []), ...(after?.keys() ?? [])])) {
      const s = before?.get(currency) ?? 0;
      const e = after?.get(currency) ?? 0;
      const entry = byCurrency.get(currency) ?? { start: 0, end: 0, amounts: zero() };
      entry.start += s;
      entry.end += e;
      // A customer who starts or stops paying moves all their currencies one way; a
      // continuing customer adding or dropping a currency expands or contracts.
      if (customerKind === 'new' || customerKind === 'reactivation')
        entry.amounts[customerKind] += e - s;
      else if (customerKind === 'churn') entry.amounts.churn += s - e;
      else if (e > s) entry.amounts.expansion += e - s;
      else if (e < s) entry.amounts.contraction += s - e;
      byCurrency.set(currency, entry);
    }
  }
  let payingAtStart = 0;
  let payingAtEnd = 0;
  for (const mrr of start.values()) if (total(mrr) > 0) payingAtStart += 1;
  for (const mrr of end.values()) if (total(mrr) > 0) payingAtEnd += 1;
  return { byCurrency, customers, payingAtStart, payingAtEnd };
}

/** Customers churned in the period / paying customers at its start; null when nobody was paying. */
export function customerChurnRate(report: MovementReport): number | null {
  return report.payingAtStart > 0 ? report.customers.churn / report.payingAtStart : null;
}

/** (churn + contraction) / start MRR; null at zero start. */
export function grossRevenueChurn(m: CurrencyMovements): number | null {
  return m.start > 0 ? (m.amounts.churn + m.amounts.contraction) / m.start : null;
}

/** (churn + contraction − expansion − reactivation) / start MRR; negative is net expansion; null at zero start. */
export function netRevenueChurn(m: CurrencyMovements): number | null {
  if (m.start <= 0) return null;
  return (
    (m.amounts.churn + m.amounts.contraction - m.amounts.expansion - m.amounts.reactivation) /
    m.start
  );
}
