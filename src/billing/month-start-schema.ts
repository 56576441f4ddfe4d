/**
 * The state database's schema, `chom_exporter`, as statements applied in order
 * at every start. Each is idempotent, so a database created by an older
 * version is upgraded in place and a current one is left alone. The
 * transaction-scoped advisory lock makes replicas starting together apply
 * them one after the other instead of racing on the catalog.
 */
export const monthStartSchemaSql = `
SELECT pg_advisory_xact_lock(hashtext('chom_exporter.schema'));
CREATE SCHEMA IF NOT EXISTS chom_exporter;
CREATE TABLE IF NOT EXISTS chom_exporter.billing_months (
  month          date PRIMARY KEY,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  reconstructed  boolean NOT NULL
);
CREATE TABLE IF NOT EXISTS chom_exporter.billing_month_opening (
  month       date NOT NULL REFERENCES chom_exporter.billing_months (month) ON DELETE CASCADE,
  customer_id text NOT NULL,
  currency    text NOT NULL,
  mrr_minor   double precision NOT NULL,
  PRIMARY KEY (month, customer_id, currency)
);
-- Added later: the billing source and policy the opening was computed
-- under. NULL on months recorded before; the first run after the upgrade adopts its own.
ALTER TABLE chom_exporter.billing_months ADD COLUMN IF NOT EXISTS basis text;
`;
