import type { KpiConfig } from './kpi-config.js';
import type { RecordingRule } from './recording-rule.js';
import { acquisitionRules } from './recording-rules-acquisition.js';
import { funnelRules } from './recording-rules-funnel.js';
import { funnelStageRules } from './recording-rules-funnel-stages.js';
import { growthRules } from './recording-rules-growth.js';
import { planRules } from './recording-rules-plans.js';
import { revenueRules } from './recording-rules-revenue.js';

export type { RecordingRule } from './recording-rule.js';

/**
 * Arithmetic over exported facts, as recording rules named level:metric:operations.
 * Every raw chom_* selector collapses replicas first (`max without (instance, pod)`
 * before a sum, `max by` for a value that is not added up), so two exporters scraped
 * at once give the numbers one gives, and each rule's output carries only its
 * business labels. A ratio divides facts over the same window, computed by the
 * source; only growth over time reads Prometheus history (`offset`), so it is
 * absent, not wrong, until the history covers the window.
 */
export function recordingRules(kpi: KpiConfig): RecordingRule[] {
  // In this order: a rule reads only rules above it (a group evaluates top to bottom).
  return [
    ...revenueRules(kpi),
    ...acquisitionRules(kpi),
    ...funnelRules(),
    ...funnelStageRules(),
    ...growthRules(kpi),
    ...planRules(kpi),
  ];
}
