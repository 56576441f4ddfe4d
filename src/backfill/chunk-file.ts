import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricSpec, Sample } from '../metrics/spec.js';
import { endOfFile, familyHeader, sampleLine } from './openmetrics.js';

/**
 * Writes one chunk of the backfill (a run of consecutive steps) as one
 * OpenMetrics file without holding it in memory. OpenMetrics wants each
 * family's samples together, but steps arrive one after the other with samples
 * of every family; so each family's lines go to a scratch file as they come,
 * and `finish` joins the scratch files family by family into the chunk file.
 * The chunk file appears (by rename) only once complete: an interrupted chunk
 * leaves scratch files, never half a chunk.
 */
export class ChunkFile {
  private readonly files = new Map<string, { fd: number; path: string; spec: MetricSpec }>();
  private closed = false;

  constructor(
    private readonly scratchDir: string,
    private readonly target: string,
    private readonly specs: ReadonlyMap<string, MetricSpec>,
    /** Labels on every sample, as a scrape adds them (`job`). */
    private readonly targetLabels: Readonly<Record<string, string>> = {},
  ) {
    rmSync(scratchDir, { recursive: true, force: true });
    mkdirSync(scratchDir, { recursive: true });
  }

  /** Appends one step's samples (already validated against their specs) at `atMs`. */
  write(atMs: number, samples: readonly Sample[]): void {
    const lines = new Map<string, string[]>();
    for (const sample of samples) {
      const list = lines.get(sample.metric);
      if (list) list.push(sampleLine(this.spec(sample.metric), sample, atMs, this.targetLabels));
      else
        lines.set(sample.metric, [
          sampleLine(this.spec(sample.metric), sample, atMs, this.targetLabels),
        ]);
    }
    for (const [metric, text] of lines) writeSync(this.file(metric).fd, text.join(''));
  }

  /** Joins the families into the chunk file, in the order the specs were given. */
  finish(): void {
    this.closeAll();
    const partial = `${this.target}.partial`;
    const out = openSync(partial, 'w');
    const buffer = Buffer.alloc(1 << 20);
    try {
      for (const [metric, spec] of this.specs) {
        const entry = this.files.get(metric);
        if (!entry) continue;
        writeSync(out, familyHeader(spec));
        const input = openSync(entry.path, 'r');
        try {
          for (let read = readSync(input, buffer); read > 0; read = readSync(input, buffer))
            writeSync(out, buffer, 0, read);
        } finally {
          closeSync(input);
        }
      }
      writeSync(out, endOfFile);
    } finally {
      closeSync(out);
    }
    renameSync(partial, this.target);
    rmSync(this.scratchDir, { recursive: true, force: true });
  }

  /** Drops the scratch files (an interrupted or failed chunk). */
  discard(): void {
    this.closeAll();
    rmSync(this.scratchDir, { recursive: true, force: true });
  }

  private closeAll(): void {
    if (this.closed) return;
    this.closed = true;
    for (const { fd } of this.files.values()) closeSync(fd);
  }

  private spec(metric: string): MetricSpec {
    const spec = this.specs.get(metric);
    if (!spec) throw new Error(`no declaration for metric ${metric}`);
    return spec;
  }

  private file(metric: string) {
    let entry = this.files.get(metric);
    if (!entry) {
      const path = join(this.scratchDir, `${this.files.size}.om`);
      entry = { fd: openSync(path, 'w'), path, spec: this.spec(metric) };
      this.files.set(metric, entry);
    }
    return entry;
  }
}
