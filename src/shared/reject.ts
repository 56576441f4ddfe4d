/**
 * Reports input left out (a bad row, a Stripe object that cannot be mapped)
 * with why: counted per collector and reason, logged once per reason, never
 * silently dropped. `rows` is how many rows the report stands for (default 1).
 */
export type Reject = (reason: string, detail: Record<string, unknown>, rows?: number) => void;
