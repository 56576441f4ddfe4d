/** Stripe's zero-decimal currencies: amounts are already in major units. */
const zeroDecimal = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);
/** Three-decimal currencies. */
const threeDecimal = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** Minor units per major unit for a currency (1 for JPY, 1000 for KWD, else 100). */
export function minorUnitsPerMajor(currency: string): number {
  const code = currency.toLowerCase();
  if (zeroDecimal.has(code)) return 1;
  if (threeDecimal.has(code)) return 1000;
  return 100;
}

/** Converts minor units to major units for the exposition. */
export function toMajorUnits(amountMinor: number, currency: string): number {
  return amountMinor / minorUnitsPerMajor(currency);
}
