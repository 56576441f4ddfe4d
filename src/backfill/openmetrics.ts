import { escapeLabelValue, formatValue } from '../metrics/exposition.js';
import type { MetricSpec, Sample } from '../metrics/spec.js';

/**
 * The OpenMetrics 1.0 text that `promtool tsdb create-blocks-from openmetrics`
 * reads (checked against promtool 2.42): one family per metric, its samples
 * contiguous, every sample with a timestamp in seconds, and `# EOF` last.
 */

/** The family name: a counter's family drops the `_total` its samples carry. */
export function familyName(spec: MetricSpec): string {
  return spec.type === 'counter' ? spec.name.replace(/_total$/, '') : spec.name;
}

/** Escapes HELP text as OpenMetrics wants it: backslash, newline and double quote. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/**
 * HELP, TYPE and, when OpenMetrics allows it, UNIT. The unit must be the
 * family name's suffix (promtool refuses the file otherwise), so units that
 * only describe a value (`currency`, `score`) are left to HELP; `info` is an
 * OpenMetrics type of its own, not a unit.
 */
export function familyHeader(spec: MetricSpec): string {
  const family = familyName(spec);
  const lines = [`# HELP ${family} ${escapeHelp(spec.help)}`, `# TYPE ${family} ${spec.type}`];
  if (spec.unit !== 'info' && family.endsWith(`_${spec.unit}`)) {
    lines.push(`# UNIT ${family} ${spec.unit}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One sample line at `atMs` (written in seconds, as OpenMetrics timestamps
 * are). `target` holds the labels a scrape would attach (`job`), so that the
 * history and the live series are one series in Prometheus.
 */
export function sampleLine(
  spec: MetricSpec,
  sample: Sample,
  atMs: number,
  target: Readonly<Record<string, string>> = {},
): string {
  const labels = [
    ...Object.entries(target).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`),
    ...spec.labelNames.map((name) => `${name}="${escapeLabelValue(sample.labels[name] ?? '')}"`),
  ].join(',');
  return `${spec.name}${labels ? `{${labels}}` : ''} ${formatValue(sample.value)} ${atMs / 1000}\n`;
}

export const endOfFile = '# EOF\n';
