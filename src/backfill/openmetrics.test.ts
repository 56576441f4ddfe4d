import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectors } from '../collectors/index.js';
import type { MetricSpec, Sample } from '../metrics/spec.js';
import { ChunkFile } from './chunk-file.js';
import { familyName } from './openmetrics.js';

/**
 * Every built-in metric, two steps each, through the chunk writer, then read
 * back twice: by a small parser of the text (families contiguous, HELP and
 * TYPE first, timestamps in seconds, `# EOF` last) and by promtool 2.42, which
 * must turn it into a block whose dump gives back each value at its instant.
 */
const specs: MetricSpec[] = collectors.flatMap((collector) => collector.metrics);
const firstMs = Date.UTC(2025, 0, 31, 23);
const stepMs = 3_600_000;
const labelValue = 'with "quotes", a \\ and a\nnewline';
const samplesAt = (step: number): Sample[] =>
  specs.map((spec, index) => ({
    metric: spec.name,
    labels: Object.fromEntries(spec.labelNames.map((name) => [name, labelValue])),
    value: index + step * 0.5,
  }));

describe('OpenMetrics chunk file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chom-om-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'chunk.om');
  const chunk = new ChunkFile(join(dir, 'scratch'), file, new Map(specs.map((s) => [s.name, s])));
  chunk.write(firstMs, samplesAt(0));
  chunk.write(firstMs + stepMs, samplesAt(1));
  chunk.finish();
  const text = readFileSync(file, 'utf8');

  it('writes each family once, contiguous, with its header first and its samples timestamped in seconds', () => {
    const lines = text.split('\n');
    expect(lines.at(-2)).toBe('# EOF');
    expect(lines.at(-1)).toBe('');
    const seen: string[] = [];
    let current = '';
    for (const line of lines.slice(0, -2)) {
      const header = /^# (HELP|TYPE|UNIT) (\S+)/.exec(line);
      if (header) {
        if (header[2] !== current) {
          expect(seen, `family ${header[2]} appears twice`).not.toContain(header[2]);
          expect(header[1], line).toBe('HELP');
          current = header[2] as string;
          seen.push(current);
        }
        continue;
      }
      const timestamp = Number(line.split(' ').at(-1));
      expect([firstMs / 1000, (firstMs + stepMs) / 1000], line).toContain(timestamp);
      expect(line.startsWith(current), `${line} outside its family ${current}`).toBe(true);
    }
    expect(seen).toEqual(specs.map(familyName));
    for (const spec of specs.filter((s) => s.type === 'counter'))
      expect(text).toContain(`# TYPE ${familyName(spec)} counter\n`);
  });

  it('is accepted by promtool, whose block gives back every sample at its instant', () => {
    const data = join(dir, 'data');
    const created = spawnSync(
      'promtool',
      ['tsdb', 'create-blocks-from', 'openmetrics', file, data],
      { encoding: 'utf8' },
    );
    expect(created.status, `${created.stdout}${created.stderr}`).toBe(0);
    // promtool dump opens the folder as a TSDB, which needs a (here empty) WAL.
    mkdirSync(join(data, 'wal'));
    const dump = spawnSync('promtool', ['tsdb', 'dump', data], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    expect(dump.status, dump.stderr).toBe(0);
    const got = new Set(dump.stdout.trim().split('\n'));
    expect(got.size).toBe(specs.length * 2);
    // promtool dump prints `{labels} value timestamp-ms`, labels sorted, __name__ first.
    for (const [index, spec] of specs.entries()) {
      const labels = [
        `__name__="${spec.name}"`,
        ...[...spec.labelNames].sort().map((name) => `${name}=${JSON.stringify(labelValue)}`),
      ].join(', ');
      expect(got, spec.name).toContain(`{${labels}} ${index} ${firstMs}`);
      expect(got, spec.name).toContain(`{${labels}} ${index + 0.5} ${firstMs + stepMs}`);
    }
  });
});
