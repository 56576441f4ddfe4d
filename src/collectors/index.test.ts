import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { selfMetricSpecs } from '../metrics/self-metrics.js';
import { collectors } from './index.js';
import type { AnyCollector } from './types.js';

const folder = new URL('.', import.meta.url);
const collectorFiles = readdirSync(folder)
  .filter(
    (file) =>
      /^(postgres|analytics|billing|config)-.+\.ts$/.test(file) && !file.endsWith('.test.ts'),
  )
  .sort();

function isCollector(value: unknown): value is AnyCollector {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AnyCollector).name === 'string' &&
    typeof (value as AnyCollector).collect === 'function' &&
    Array.isArray((value as AnyCollector).metrics)
  );
}

const allMetrics = collectors.flatMap((collector) =>
  collector.metrics.map((metric) => ({ collector: collector.name, metric })),
);

describe('the collector list', () => {
  it('finds collector files to check', () => {
    expect(collectorFiles.length).toBeGreaterThan(0);
  });

  it.each(collectorFiles)('%s exports one collector, and it is listed', async (file) => {
    const module: Record<string, unknown> = await import(new URL(file, folder).href);
    const exported = Object.values(module).filter(isCollector);
    expect(exported).toHaveLength(1);
    expect(collectors).toContain(exported[0]);
  });

  it('lists exactly one collector per file', () => {
    expect(collectors).toHaveLength(collectorFiles.length);
  });

  it('has unique snake_case names', () => {
    const names = collectors.map((collector) => collector.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
  });
});

describe('the metrics of the collectors', () => {
  it('have unique names across collectors and the self-metrics', () => {
    const names = [
      ...allMetrics.map(({ metric }) => metric.name),
      ...selfMetricSpecs.map((m) => m.name),
    ];
    const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
    expect(duplicates).toEqual([]);
  });

  it.each(allMetrics.map(({ collector, metric }) => [metric.name, collector, metric]))(
    '%s (%s) is well formed',
    (name, _, metric) => {
      expect(name).toMatch(/^chom_[a-z0-9_]+$/);
      if (metric.type === 'counter') expect(name).toMatch(/_total$/);
      else expect(name).not.toMatch(/_total$/);
      expect(metric.help.trim()).not.toBe('');
      expect(typeof metric.unit).toBe('string');
      expect(metric.unit).not.toBe('');
      for (const label of metric.labelNames) expect(label).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(new Set(metric.labelNames).size).toBe(metric.labelNames.length);
    },
  );
});
