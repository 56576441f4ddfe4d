import type Stripe from 'stripe';
import type { BillingPrice, Interval, PriceTier } from './types.js';

/** A Stripe object the engine cannot use; the message names the object and the field. */
export class StripeMappingError extends Error {}

/** Prices and products known from the catalogue lists, by id. */
export interface PriceCatalogue {
  readonly prices: ReadonlyMap<string, Stripe.Price>;
  readonly products: ReadonlyMap<string, Stripe.Product>;
}

/**
 * A Stripe `*_decimal` amount as a number. Since API 2026-03-25 the SDK hands
 * these over as its own Decimal type (a JSON string on the wire); both render
 * as a plain decimal string, so the string is what we parse.
 */
export function decimalAmount(value: unknown, where: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed = Number(typeof value === 'number' ? value : String(value));
  if (!Number.isFinite(parsed)) {
    throw new StripeMappingError(`${where} is not a decimal amount ("${String(value)}")`);
  }
  return parsed;
}

function integerAmount(value: unknown, where: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StripeMappingError(`${where} is not a number`);
  }
  return value;
}

/** The exact amount: `unit_amount` is rounded to whole minor units, the decimal is not. */
function preciseAmount(decimal: unknown, integer: unknown, where: string): number | undefined {
  return decimalAmount(decimal, `${where}_decimal`) ?? integerAmount(integer, where);
}

/**
 * `value` when it is one of `allowed`. The SDK's enums end in `OtherString`
 * (new values may appear), which a comparison does not narrow away.
 */
export function oneOf<const T extends string>(
  value: unknown,
  allowed: readonly T[],
  where: string,
): T {
  if (allowed.includes(value as T)) return value as T;
  throw new StripeMappingError(`${where} "${String(value)}" is not one of ${allowed.join(', ')}`);
}

function metadataTier(metadata: Stripe.Metadata | null | undefined): string | undefined {
  const tier = metadata?.tier;
  return typeof tier === 'string' && tier.trim() !== '' ? tier : undefined;
}

/** Stripe answers `up_to: null` for the last tier; `'inf'` is how it is written when created. */
function tierFromStripe(tier: Stripe.Price.Tier, where: string): PriceTier {
  const upTo = tier.up_to as number | 'inf' | null | undefined;
  if (upTo !== null && upTo !== undefined && upTo !== 'inf' && typeof upTo !== 'number') {
    throw new StripeMappingError(`${where}: up_to is not a number`);
  }
  return {
    upTo: typeof upTo === 'number' ? upTo : null,
    unitAmount:
      preciseAmount(tier.unit_amount_decimal, tier.unit_amount, `${where}: unit_amount`) ?? 0,
    flatAmount:
      preciseAmount(tier.flat_amount_decimal, tier.flat_amount, `${where}: flat_amount`) ?? 0,
  };
}

/**
 * The amounts of a price in the subscription's currency. A multi-currency price
 * keeps its other currencies in `currency_options`, which the catalogue list
 * expands; a subscription in such a currency is billed from there.
 */
function amountsIn(price: Stripe.Price, currency: string, where: string) {
  if (price.currency?.toLowerCase() === currency) return price;
  const option = price.currency_options?.[currency];
  if (!option) {
    throw new StripeMappingError(
      `${where} is in ${String(price.currency)} and has no amount in ${currency} (currency_options)`,
    );
  }
  return option;
}

/**
 * Maps a subscription item's price. The embedded item price never carries
 * `tiers` (expanding them would be a fifth level), so the catalogue's copy,
 * listed with tiers and product expanded, is preferred when it exists.
 */
export function priceFromStripe(
  itemPrice: Stripe.Price,
  currency: string,
  catalogue: PriceCatalogue,
): BillingPrice {
  if (typeof itemPrice?.id !== 'string') throw new StripeMappingError('item has no price');
  const price = catalogue.prices.get(itemPrice.id) ?? itemPrice;
  const where = `price ${price.id}`;
  const recurring = price.recurring;
  if (!recurring) throw new StripeMappingError(`${where} is not recurring`);
  const interval: Interval = oneOf(
    recurring.interval,
    ['day', 'week', 'month', 'year'],
    `${where}: interval`,
  );
  const intervalCount = recurring.interval_count ?? 1;
  if (!Number.isInteger(intervalCount) || intervalCount < 1) {
    throw new StripeMappingError(
      `${where}: interval_count ${String(intervalCount)} is not a positive integer`,
    );
  }
  const usageType = oneOf(
    recurring.usage_type ?? 'licensed',
    ['licensed', 'metered'],
    `${where}: usage_type`,
  );
  const productId = typeof price.product === 'string' ? price.product : price.product?.id;
  if (typeof productId !== 'string') throw new StripeMappingError(`${where} has no product`);
  const product =
    typeof price.product === 'object' && price.product && !price.product.deleted
      ? price.product
      : catalogue.products.get(productId);
  const base = {
    id: price.id,
    productId,
    tier: metadataTier(price.metadata) ?? metadataTier(product?.metadata),
    lookupKey: price.lookup_key ?? undefined,
    usageType,
    interval,
    intervalCount,
    transformQuantity: transformFromStripe(price.transform_quantity, where),
  } as const;
  const amounts = amountsIn(price, currency, where);
  if (price.billing_scheme === 'tiered') {
    const tiers = amounts.tiers;
    if (!Array.isArray(tiers) || tiers.length === 0) {
      throw new StripeMappingError(
        `${where} is tiered but its tiers are missing (list prices with data.tiers expanded)`,
      );
    }
    const tiersMode = oneOf(price.tiers_mode, ['volume', 'graduated'], `${where}: tiers_mode`);
    return {
      ...base,
      billingScheme: 'tiered',
      tiersMode,
      tiers: tiers.map((tier, i) => tierFromStripe(tier, `${where} tier ${i + 1}`)),
    };
  }
  oneOf(price.billing_scheme, ['per_unit', 'tiered'], `${where}: billing_scheme`);
  const unitAmount = preciseAmount(
    amounts.unit_amount_decimal,
    amounts.unit_amount,
    `${where}: unit_amount`,
  );
  if (unitAmount === undefined) throw new StripeMappingError(`${where} has no unit amount`);
  return { ...base, billingScheme: 'per_unit', unitAmount };
}

function transformFromStripe(
  transform: Stripe.Price.TransformQuantity | null | undefined,
  where: string,
): BillingPrice['transformQuantity'] {
  if (!transform) return undefined;
  const divideBy = transform.divide_by;
  if (typeof divideBy !== 'number' || !(divideBy > 0)) {
    throw new StripeMappingError(`${where}: transform_quantity.divide_by is not a positive number`);
  }
  return {
    divideBy,
    round: oneOf(transform.round, ['up', 'down'], `${where}: transform_quantity.round`),
  };
}
