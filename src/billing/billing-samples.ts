import { type Sample, sample } from '../metrics/spec.js';
import { boundCurrency } from '../shared/bounded-labels.js';
import type { MrrTotals } from './aggregate.js';
import { toMajorUnits } from './currency.js';
import { type ItemBasis, itemBases } from './items-at.js';
import {
  customerChurnRate,
  grossRevenueChurn,
  type MovementReport,
  movementKinds,
  netRevenueChurn,
} from './movements.js';

const currencyLabel = (code: string) => boundCurrency(code);
const major = (amount: number, currency: string) => toMajorUnits(amount, currency);

export interface BillingFigures {
  readonly totals: MrrTotals;
  readonly movements: MovementReport;
  readonly openingReconstructed: boolean;
  readonly tiers: readonly string[];
  readonly statuses: readonly string[];
  /** The billing_mrr source (`database`, `stripe`): the bases it can use are reported. */
  readonly source: 'database' | 'stripe';
}

/** The item bases each source can produce: the mirror keeps no item history. */
const basesOf: Record<BillingFigures['source'], readonly ItemBasis[]> = {
  database: ['current_items'],
  stripe: itemBases,
};

/** Every currency the figures mention, lower case. */
export function currenciesOf(totals: MrrTotals, movements: MovementReport): Set<string> {
  const currencies = new Set<string>([...movements.byCurrency.keys(), ...totals.committed.keys()]);
  for (const key of totals.byTier.keys()) currencies.add(key.split('|')[1] ?? '');
  return currencies;
}

/** Turns the engine's figures into samples; money in major units with its currency. */
export function billingSamples(figures: BillingFigures): Sample[] {
  const { totals, movements } = figures;
  const samples: Sample[] = [];
  const currencies = currenciesOf(totals, movements);
  // Every tier appears for every currency in use, zero when empty, so a tier going to zero stays visible.
  for (const currency of currencies) {
    for (const tier of [...figures.tiers, 'other']) {
      const amount = totals.byTier.get(`${tier}|${currency}`) ?? 0;
      if (tier === 'other' && amount === 0) continue;
      samples.push(
        sample('chom_revenue_mrr', major(amount, currency), {
          tier,
          currency: currencyLabel(currency),
        }),
      );
      samples.push(
        sample('chom_customers_by_tier', totals.customersByTier.get(`${tier}|${currency}`) ?? 0, {
          tier,
          currency: currencyLabel(currency),
        }),
      );
    }
    samples.push(
      sample('chom_revenue_mrr_committed', major(totals.committed.get(currency) ?? 0, currency), {
        currency: currencyLabel(currency),
      }),
    );
    const customers = totals.customersByCurrency.get(currency) ?? 0;
    const mrr = [...totals.byTier]
      .filter(([k]) => k.endsWith(`|${currency}`))
      .reduce((s, [, v]) => s + v, 0);
    if (customers > 0) {
      samples.push(
        sample('chom_revenue_arpa', major(mrr / customers, currency), {
          currency: currencyLabel(currency),
        }),
      );
    }
    const moved = movements.byCurrency.get(currency);
    samples.push(
      sample('chom_revenue_mrr_month_start', major(moved?.start ?? 0, currency), {
        currency: currencyLabel(currency),
      }),
    );
    for (const movement of movementKinds) {
      const amount = moved?.amounts[movement] ?? 0;
      samples.push(
        sample('chom_revenue_mrr_movement', major(amount, currency), {
          movement,
          currency: currencyLabel(currency),
        }),
      );
    }
    if (moved) {
      const gross = grossRevenueChurn(moved);
      const net = netRevenueChurn(moved);
      if (gross !== null)
        samples.push(
          sample('chom_revenue_churn_ratio', gross, {
            kind: 'gross',
            currency: currencyLabel(currency),
          }),
        );
      if (net !== null)
        samples.push(
          sample('chom_revenue_churn_ratio', net, {
            kind: 'net',
            currency: currencyLabel(currency),
          }),
        );
    }
  }
  for (const [key, amount] of totals.byChannel) {
    const [channel = 'other', currency = ''] = key.split('|');
    samples.push(
      sample('chom_revenue_by_channel', major(amount, currency), {
        channel,
        currency: currencyLabel(currency),
      }),
    );
  }
  samples.push(sample('chom_customers', movements.payingAtEnd));
  samples.push(sample('chom_customers_month_start', movements.payingAtStart));
  for (const movement of movementKinds) {
    samples.push(sample('chom_customer_movements', movements.customers[movement], { movement }));
  }
  const churn = customerChurnRate(movements);
  if (churn !== null) samples.push(sample('chom_customer_churn_ratio', churn));
  for (const status of figures.statuses) {
    samples.push(
      sample('chom_subscriptions', totals.subscriptionsByStatus.get(status) ?? 0, { status }),
    );
  }
  samples.push(
    sample('chom_billing_month_opening_reconstructed', figures.openingReconstructed ? 1 : 0),
  );
  for (const basis of basesOf[figures.source]) {
    samples.push(
      sample('chom_billing_history_basis', totals.itemBases.get(basis) ?? 0, {
        source: figures.source,
        basis,
      }),
    );
  }
  return samples;
}
