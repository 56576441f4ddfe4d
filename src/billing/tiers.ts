import type { BillingPrice } from './types.js';

export interface TierMapping {
  /** The tier vocabulary (label values); anything else is `other`. */
  readonly tiers: readonly string[];
  /** Explicit mapping from a price id, a lookup key or a product id to a tier. */
  readonly byId: Readonly<Record<string, string>>;
}

/**
 * A price's tier, in this order: an explicit mapping of its price id, lookup
 * key or product id; the tier the source gives (Stripe price or product
 * metadata `tier`, the mirror's tier column); a lookup key that starts with a
 * tier name (`professional_monthly`). Unknown prices are `other`.
 */
export function tierOf(price: BillingPrice, mapping: TierMapping): string {
  const normalise = (value: string) => value.trim().toLowerCase();
  const known = (value: string | undefined) =>
    value === undefined
      ? undefined
      : mapping.tiers.find((tier) => normalise(tier) === normalise(value));
  const explicit = [price.id, price.lookupKey, price.productId]
    // Own keys only: a lookup key such as `constructor` must not find Object.prototype's.
    .map((key) =>
      key !== undefined && Object.hasOwn(mapping.byId, key) ? mapping.byId[key] : undefined,
    )
    .find((value) => value !== undefined);
  if (explicit !== undefined) return known(explicit) ?? 'other';
  const fromSource = known(price.tier);
  if (fromSource) return fromSource;
  const key = price.lookupKey?.toLowerCase();
  // The longest matching tier name wins, so `professional_monthly` is not taken for a tier `pro`.
  const byPrefix = key
    ? [...mapping.tiers]
        .sort((a, b) => b.length - a.length)
        .find((tier) => key.startsWith(normalise(tier)))
    : undefined;
  return byPrefix ?? 'other';
}
