import type { Logger } from 'pino';
import type { LabelSets } from '../config/schema.js';
import { type EventCounterOptions, eventCounterDefinitions } from './event-counter-specs.js';
import {
  addCounts,
  type CounterValue,
  countersFromTotals,
  type EventCounterDefinition,
  type EventCounts,
  type EventGroupRow,
  mergeRecount,
} from './event-counts.js';

/**
 * What the event counters remember between runs. The exported value of a
 * series is `base` (what was counted before `floor`, under the labels it was
 * exported with then) plus the events above `floor` in `totals`, mapped with
 * the vocabulary in force. Moving `floor` up freezes what was counted, so a
 * new vocabulary relabels only later events and a reset table is counted on
 * top of the old one: every series only rises, and their sum is the number of
 * events counted.
 */
export interface EventCounterState {
  /** The highest id read; undefined until the first count. */
  watermark: string | undefined;
  /** Events at or below this id are in `base`; undefined: none (the table counts from its start). */
  floor: string | undefined;
  /** Counts of the events above `floor`, by event name and tracked property values. */
  totals: EventCounts;
  /** Values counted before `floor`, by series. */
  base: Map<string, CounterValue>;
  lastRecountAt: number;
}

export function createEventCounterState(): EventCounterState {
  return {
    watermark: undefined,
    floor: undefined,
    totals: new Map(),
    base: new Map(),
    lastRecountAt: 0,
  };
}

/** The property keys read, once each, in a stable order: the columns of the grouped count. */
export function propertyKeysOf(definitions: readonly EventCounterDefinition[]): string[] {
  return [...new Set(definitions.flatMap((d) => (d.label ? [d.label.property] : [])))];
}

const seriesKey = (value: CounterValue) => JSON.stringify([value.metric, value.labels]);

/** Every series: the vocabulary's (zero when unseen), then what `base` and `totals` hold. */
export function exportedCounters(
  state: EventCounterState,
  definitions: readonly EventCounterDefinition[],
): CounterValue[] {
  const out = new Map<string, CounterValue>();
  const counted = countersFromTotals(state.totals, definitions, propertyKeysOf(definitions));
  for (const value of [...counted, ...state.base.values()]) {
    const key = seriesKey(value);
    const entry = out.get(key);
    out.set(key, { ...value, value: (entry?.value ?? 0) + value.value });
  }
  return [...out.values()];
}

/** Freezes the exported values into `base` and counts from `floor` on (see EventCounterState). */
function rebase(
  state: EventCounterState,
  definitions: readonly EventCounterDefinition[],
  floor: string | undefined,
): void {
  const exported = exportedCounters(state, definitions).filter(({ value }) => value > 0);
  state.base = new Map(exported.map((value) => [seriesKey(value), value]));
  state.totals = new Map();
  state.floor = floor;
}

/** What a round reads, decided from the state and the table's highest id. */
export interface RoundPlan {
  /** The highest id is below the watermark: the table was emptied or recreated. */
  readonly reset: boolean;
  /** Count every event above the floor (first run, reset, or the periodic recount). */
  readonly recount: boolean;
  /** Count events with ids above this; null for all. */
  readonly after: string | null;
}

export function planRound(
  state: EventCounterState,
  maxId: string,
  now: number,
  recountIntervalMs: number,
): RoundPlan {
  const reset = state.watermark !== undefined && BigInt(maxId) < BigInt(state.watermark);
  if (reset) return { reset, recount: true, after: null };
  const recount = state.watermark === undefined || now - state.lastRecountAt >= recountIntervalMs;
  return { reset, recount, after: (recount ? state.floor : state.watermark) ?? null };
}

/** Applies a round that read `rows` up to id `upTo`; called only once the whole round was read. */
export function applyRound(
  state: EventCounterState,
  plan: RoundPlan,
  rows: readonly EventGroupRow[],
  upTo: string,
  now: number,
  definitions: readonly EventCounterDefinition[],
): void {
  // The old table's counts stay exported; the new table is counted on top of them.
  if (plan.reset) rebase(state, definitions, undefined);
  if (plan.recount) {
    // A recount only raises: a purge must not lower a total, a late commit raises it.
    mergeRecount(state.totals, rows);
    state.lastRecountAt = now;
  } else {
    addCounts(state.totals, rows);
  }
  state.watermark = upTo;
}

/** What decides which events a counter counts: the table and each counter's event and property. */
function countingKey(options: EventCounterOptions, labelSets: LabelSets): string {
  const definitions = eventCounterDefinitions(options, labelSets).map((d) => [
    d.metric,
    d.event,
    d.label?.property,
  ]);
  return JSON.stringify([options.table, definitions]);
}

/**
 * The state a reloaded collector starts from. Same counting config: the same
 * counts, so a reload neither rescans the table nor loses what a purge took
 * away. A new vocabulary freezes the counts under their old labels and maps
 * only later events with the new one. Anything else counts the table again.
 */
export function inheritEventCounterState(
  previous: {
    readonly state: EventCounterState;
    readonly options: EventCounterOptions;
    readonly labelSets: LabelSets;
  },
  next: {
    readonly options: EventCounterOptions;
    readonly labelSets: LabelSets;
    readonly log: Logger;
  },
): EventCounterState | undefined {
  if (
    countingKey(previous.options, previous.labelSets) !== countingKey(next.options, next.labelSets)
  ) {
    next.log.warn(
      'event counter configuration changed (table, event or property): counting the events table again from the start',
    );
    return undefined;
  }
  // A copy: the previous runner may still finish a run and change its own state.
  const state: EventCounterState = {
    ...previous.state,
    totals: new Map(previous.state.totals),
    base: new Map(previous.state.base),
  };
  const before = eventCounterDefinitions(previous.options, previous.labelSets);
  const after = eventCounterDefinitions(next.options, next.labelSets);
  if (JSON.stringify(before) !== JSON.stringify(after) && state.watermark !== undefined) {
    rebase(state, before, state.watermark);
    next.log.info(
      { floor: state.watermark },
      'label vocabulary changed: counts so far keep their labels, later events get the new ones',
    );
  }
  return state;
}
