import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../app/config.js';
import { enabledCollectors } from '../collectors/enabled.js';
import type { Sources } from '../collectors/sources.js';
import type { CollectorContext, EnabledCollector } from '../collectors/types.js';
import { evaluateAt, evaluationDeps } from './evaluate.js';

// A full collection on demand, to see what an evaluation leaves reachable.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const config = parseConfig({ collectors: { only: ['config_kpi_targets'] } });
// config_kpi_targets reads the kpi section only: no source is opened.
const deps = evaluationDeps(config, {} as Sources, pino({ level: 'silent' }));
const [targets] = enabledCollectors(config) as [EnabledCollector];

/** The collector as it is, noting (weakly) the signal and the samples of each evaluation. */
function observed(refs: WeakRef<object>[]): EnabledCollector {
  const { collector } = targets;
  return {
    ...targets,
    collector: {
      ...collector,
      async collect(ctx: CollectorContext<unknown, undefined>) {
        const samples = await collector.collect(ctx);
        refs.push(new WeakRef(ctx.signal), new WeakRef(samples));
        return samples;
      },
    },
  };
}

describe('evaluateAt', () => {
  it('keeps nothing of an evaluation once it settled: a backfill of a year holds one step, not 8,760', async () => {
    const refs: WeakRef<object>[] = [];
    const collector = observed(refs);
    for (let step = 0; step < 20; step += 1) {
      const samples = await evaluateAt(collector, Date.UTC(2026, 0, 1, step), deps);
      expect(samples.length).toBeGreaterThan(0);
    }
    expect(refs).toHaveLength(40);
    // A WeakRef's target lives at least until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(refs.filter((ref) => ref.deref() !== undefined)).toEqual([]);
  });
});
