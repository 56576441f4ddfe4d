import type { MetricSpec, Sample } from './spec.js';

/** Escapes a label value for the text format: backslash, double quote and newline. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes HELP text: backslash and newline. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Formats a sample value the way Prometheus parses it. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/**
 * Renders metric families in the Prometheus text format 0.0.4. A family with
 * no samples is written with HELP and TYPE only: absent data stays absent
 * rather than turning into a made-up zero.
 */
export function renderFamilies(specs: readonly MetricSpec[], samples: readonly Sample[]): string {
  const byMetric = new Map<string, Sample[]>();
  for (const sample of samples) {
    const list = byMetric.get(sample.metric);
    if (list) list.push(sample);
    else byMetric.set(sample.metric, [sample]);
  }
  const lines: string[] = [];
  for (const spec of specs) {
    lines.push(`# HELP ${spec.name} ${escapeHelp(spec.help)}`, `# TYPE ${spec.name} ${spec.type}`);
    for (const sample of byMetric.get(spec.name) ?? []) {
      const labels = spec.labelNames
        .map((name) => `${name}="${escapeLabelValue(sample.labels[name] ?? '')}"`)
        .join(',');
      lines.push(`${spec.name}${labels ? `{${labels}}` : ''} ${formatValue(sample.value)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
