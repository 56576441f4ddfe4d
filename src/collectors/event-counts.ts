import { boundLabel } from '../shared/bounded-labels.js';

/** A counter derived from one event, optionally labelled by one of its properties. */
export interface EventCounterDefinition {
  readonly metric: string;
  readonly event: string;
  readonly label?: {
    readonly name: string;
    readonly property: string;
    readonly vocabulary: readonly string[];
  };
}

/** Event counts keyed by event name and the values of every tracked property. */
export type EventCounts = Map<string, number>;

export interface EventGroupRow {
  readonly event: string;
  readonly properties: readonly (string | null)[];
  readonly count: number;
}

/** One exported counter series. */
export interface CounterValue {
  readonly metric: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

export function groupKey(event: string, properties: readonly (string | null)[]): string {
  return JSON.stringify([event, ...properties]);
}

/** Adds the counts of new events to the running totals. */
export function addCounts(totals: EventCounts, rows: readonly EventGroupRow[]): void {
  for (const row of rows) {
    const key = groupKey(row.event, row.properties);
    totals.set(key, (totals.get(key) ?? 0) + row.count);
  }
}

/**
 * Merges a full recount into running totals. A recount can only raise a total:
 * it finds events that committed late (behind the watermark). It never lowers
 * one, so a counter does not go backwards if old events were purged.
 */
export function mergeRecount(totals: EventCounts, recount: readonly EventGroupRow[]): void {
  for (const row of recount) {
    const key = groupKey(row.event, row.properties);
    totals.set(key, Math.max(totals.get(key) ?? 0, row.count));
  }
}

/**
 * Turns the totals into per-metric label sets. Labelled counters list every
 * value of their vocabulary (zero when unseen) so that rate() works from the
 * first event; unknown values add up under `other`.
 */
export function countersFromTotals(
  totals: EventCounts,
  definitions: readonly EventCounterDefinition[],
  propertyKeys: readonly string[],
): CounterValue[] {
  const out = new Map<string, { metric: string; labels: Record<string, string>; value: number }>();
  for (const definition of definitions) {
    const { label } = definition;
    const seed = label ? label.vocabulary.map((value) => ({ [label.name]: value })) : [{}];
    for (const labels of seed)
      out.set(JSON.stringify([definition.metric, labels]), {
        metric: definition.metric,
        labels,
        value: 0,
      });
  }
  for (const [key, count] of totals) {
    const [event, ...properties] = JSON.parse(key) as [string, ...(string | null)[]];
    for (const definition of definitions) {
      if (definition.event !== event) continue;
      const { label } = definition;
      const labels: Record<string, string> = {};
      if (label) {
        const raw = properties[propertyKeys.indexOf(label.property)] ?? null;
        labels[label.name] = boundLabel(raw, label.vocabulary);
      }
      const id = JSON.stringify([definition.metric, labels]);
      const entry = out.get(id) ?? { metric: definition.metric, labels, value: 0 };
      entry.value += count;
      out.set(id, entry);
    }
  }
  return [...out.values()];
}
