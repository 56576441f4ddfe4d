import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../app/config.js';
import {
  type EventCounterOptions,
  eventCounterDefinitions,
  eventCounterOptionsSchema,
} from './event-counter-specs.js';
import {
  applyRound,
  createEventCounterState,
  exportedCounters,
  inheritEventCounterState,
  planRound,
} from './event-counter-state.js';

const options = eventCounterOptionsSchema.parse({}) as EventCounterOptions;
const labelSets = parseConfig({}).labels;
const definitions = eventCounterDefinitions(options, labelSets);
const log = pino({ level: 'silent' });
const signups = (state: ReturnType<typeof createEventCounterState>) =>
  exportedCounters(state, definitions).find((c) => c.metric === 'chom_funnel_signups_total')?.value;

describe('planRound', () => {
  it('counts the whole table on the first round', () => {
    expect(planRound(createEventCounterState(), '42', 0, 60_000)).toEqual({
      reset: false,
      recount: true,
      after: null,
    });
  });

  it('compares ids as numbers, not text: 9 after 10 is a reset, 10 after 9 is not', () => {
    const state = { ...createEventCounterState(), watermark: '10', lastRecountAt: 0 };
    expect(planRound(state, '9', 1, 60_000)).toEqual({ reset: true, recount: true, after: null });
    const later = { ...createEventCounterState(), watermark: '9', lastRecountAt: 0 };
    expect(planRound(later, '10', 1, 60_000)).toEqual({ reset: false, recount: false, after: '9' });
  });

  it('recounts from the floor, not from the start, once the interval has passed', () => {
    const state = { ...createEventCounterState(), watermark: '90', floor: '50', lastRecountAt: 0 };
    expect(planRound(state, '95', 60_000, 60_000)).toEqual({
      reset: false,
      recount: true,
      after: '50',
    });
  });
});

describe('inheritEventCounterState', () => {
  it('hands over a copy: a late run of the old runner does not change the new state', () => {
    const previous = createEventCounterState();
    const plan = planRound(previous, '3', 0, 60_000);
    applyRound(
      previous,
      plan,
      [{ event: 'signed_up', properties: [null, null, null], count: 3 }],
      '3',
      0,
      definitions,
    );
    const next = inheritEventCounterState(
      { state: previous, options, labelSets },
      { options, labelSets, log },
    );
    applyRound(
      previous,
      planRound(previous, '5', 1, 60_000),
      [{ event: 'signed_up', properties: [null, null, null], count: 2 }],
      '5',
      1,
      definitions,
    );
    expect(signups(previous)).toBe(5);
    expect(next && signups(next)).toBe(3);
    expect(next?.watermark).toBe('3');
  });
});
