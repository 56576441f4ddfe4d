/**
 * PENDING: source facts that the rules and boards of issues #17 and #19 read,
 * which no collector exports yet (another change adds them to the billing
 * collector). Until then the KPIs built on them are absent, and
 * test/integration/dashboard-queries.test.ts expects their panels to be empty.
 * Remove each name when it is exported: test/dashboards/dashboards-lint.test.ts
 * fails while a listed name is already exported, so this list can only shrink;
 * test/prometheus-rules.test.ts fails on a rule reading a name that is neither
 * exported nor listed here.
 */
export const pendingSourceMetrics: readonly string[] = [];
