import type { KpiConfig } from '../../src/kpi/kpi-config.js';
import { recordingRules } from '../../src/kpi/recording-rules.js';
import { analyse } from './promql.js';

/**
 * The metrics a query reads, through the recording rules it names (a rule's
 * name stands for the metrics its expression reads, recursively), for the
 * rules generated from `kpi`; and those rules by name.
 */
export function sourceMetricsReader(kpi: KpiConfig) {
  const rulesByName = new Map(recordingRules(kpi).map((rule) => [rule.record, rule.expr]));
  function sourceMetrics(expr: string, seen = new Set<string>()): Set<string> {
    for (const { metric } of analyse(expr).selectors) {
      if (!metric || seen.has(metric)) continue;
      seen.add(metric);
      const rule = rulesByName.get(metric);
      if (rule) sourceMetrics(rule, seen);
    }
    return seen;
  }
  return { rulesByName, sourceMetrics };
}
