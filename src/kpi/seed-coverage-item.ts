import type { DashboardKey } from './ids.js';

/** Where a seed item lives: a panel (board and title), an alert, a recording rule, a config key, a document. */
export type Place =
  | { readonly panel: readonly [DashboardKey, string] }
  | { readonly alert: string }
  | { readonly rule: string }
  | { readonly config: string }
  | { readonly doc: string };

/**
 * One item of a requirement document (shared/seeds/: 000 referral platform,
 * 002 BI dashboards, 003 KPI framework, 004 growth tracking) and where it
 * lives, or, with no place, why it is not covered. test/seed-coverage.test.ts
 * checks every place exists, so the docs cannot point at nothing.
 */
export interface SeedItem {
  readonly item: string;
  readonly places: readonly Place[];
  /** Differences from the seed (a threshold the brief overrides), or why it is not covered. */
  readonly note?: string;
}

export interface Seed {
  readonly id: '000' | '002' | '003' | '004';
  readonly title: string;
  readonly items: readonly SeedItem[];
}
