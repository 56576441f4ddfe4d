/**
 * The instants the grouped-pass tests lay their grids on: taken once, when the
 * test file loads, from the clock the demo data is seeded against (its rows run
 * up to the seeding instant).
 */
export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

const now = new Date();
/** The start of the current UTC month: a grid across it crosses a month boundary. */
export const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
/** Today's UTC midnight. */
export const today = Math.floor(now.getTime() / dayMs) * dayMs;
