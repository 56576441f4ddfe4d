import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { BackfillUsageError } from './usage-error.js';

/** What DIR records about the backfill it holds, so a second run resumes rather than repeats. */
export interface BackfillState {
  readonly kind: 'chom-exporter-backfill';
  readonly version: 1;
  /** The first step (ISO 8601). */
  readonly from: string;
  readonly stepMs: number;
  /** A hash of what decides the values (collectors, options, labels, KPI config). */
  readonly configHash: string;
  /** The last step written to an OpenMetrics file (ISO 8601), when any. */
  doneThrough?: string;
  /** The OpenMetrics files, oldest first, and whether their blocks were created. */
  chunks: { file: string; blocks: boolean }[];
  /** The last step whose recording rules' history was created (ISO 8601), when any. */
  rulesThrough?: string;
}

export const stateFileName = 'backfill-state.json';

export function configHash(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

/**
 * The state of DIR for a backfill from `from` every `stepMs` under `hash`:
 * new when DIR is empty or absent, the recorded one when it is the same
 * backfill; a refusal naming the flag when DIR holds something else or a
 * backfill that the requested one would contradict.
 */
export function openState(
  dir: string,
  request: { from: number; stepMs: number; configHash: string },
): BackfillState {
  const path = join(dir, stateFileName);
  const fresh: BackfillState = {
    kind: 'chom-exporter-backfill',
    version: 1,
    from: new Date(request.from).toISOString(),
    stepMs: request.stepMs,
    configHash: request.configHash,
    chunks: [],
  };
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    return fresh;
  }
  if (!existsSync(path)) {
    const entries = readdirSync(dir);
    if (entries.length > 0)
      throw new BackfillUsageError(
        '--out',
        `${dir} is not empty and holds no backfill (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}): give an empty or new folder`,
      );
    return fresh;
  }
  let recorded: BackfillState;
  try {
    recorded = JSON.parse(readFileSync(path, 'utf8')) as BackfillState;
  } catch (error) {
    throw new BackfillUsageError(
      '--out',
      `${path} is not a readable backfill state (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (recorded.kind !== 'chom-exporter-backfill' || recorded.version !== 1)
    throw new BackfillUsageError(
      '--out',
      `${path} was not written by this version of chom-exporter backfill`,
    );
  const recordedFrom = Date.parse(recorded.from);
  if (recorded.stepMs !== request.stepMs)
    throw new BackfillUsageError(
      '--step',
      `${dir} holds a backfill every ${recorded.stepMs / 1000}s from ${recorded.from}; this one's step is ${request.stepMs / 1000}s: its samples would overlap. Use the recorded step or another --out`,
    );
  if (recorded.configHash !== request.configHash)
    throw new BackfillUsageError(
      '--config',
      `${dir} holds a backfill made under another configuration (collectors, options, labels or kpi changed): its values would disagree with this one's over the same range. Use another --out`,
    );
  if (recordedFrom !== request.from)
    throw new BackfillUsageError(
      '--from',
      `${dir} holds a backfill from ${recorded.from}; a run into the same folder resumes or extends it and must start there too. Use --from ${recorded.from} or another --out`,
    );
  return recorded;
}

/** Writes the state atomically: a crash leaves the old state or the new one, never half. */
export function saveState(dir: string, state: BackfillState): void {
  const path = join(dir, stateFileName);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
