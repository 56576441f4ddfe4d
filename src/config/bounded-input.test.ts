import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.js';
import { ConfigError, configLimits } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'chom-bounded-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const URL_TEXT = 'postgres://exporter:s3cret-in-file@db:5432/app';

let counter = 0;
function file(content: string | Buffer): string {
  counter += 1;
  const path = join(dir, `input-${counter}`);
  writeFileSync(path, content);
  return path;
}

async function problemsOf(load: () => Promise<unknown>): Promise<ConfigError> {
  try {
    await load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

describe('secret files (<NAME>_FILE) are regular files of bounded size', () => {
  it('refuses a device such as /dev/zero, naming the variable, without reading it', async () => {
    const error = await problemsOf(() => loadConfig({ CHOM_DATABASE_URL_FILE: '/dev/zero' }));
    expect(error.problems).toEqual([
      'CHOM_DATABASE_URL_FILE: "/dev/zero" is not a regular file; expected a regular file',
    ]);
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(dir, 'secret.fifo');
    execFileSync('mkfifo', [fifo]);
    const error = await problemsOf(() => loadConfig({ CHOM_STRIPE_API_KEY_FILE: fifo }));
    expect(error.problems).toEqual([
      `CHOM_STRIPE_API_KEY_FILE: "${fifo}" is not a regular file; expected a regular file`,
    ]);
  });

  it('refuses a file over the cap, and takes one at the cap', async () => {
    const cap = configLimits.secretFileBytes;
    const over = file(`${URL_TEXT}?pad=${'x'.repeat(cap)}`);
    const error = await problemsOf(() => loadConfig({ CHOM_DATABASE_URL_FILE: over }));
    expect(error.problems).toEqual([`CHOM_DATABASE_URL_FILE: "${over}" is larger than 64 KiB`]);
    expect(error.message).not.toContain('s3cret-in-file');
    const padded = `${URL_TEXT}?application_name=`;
    const atCap = file(`${padded}${'x'.repeat(cap - padded.length)}`);
    const config = await loadConfig({ CHOM_DATABASE_URL_FILE: atCap });
    expect(config.database.url?.length).toBe(cap);
  });

  it('follows a symbolic link to a regular file (Kubernetes mounts secrets so)', async () => {
    const link = join(dir, 'linked.secret');
    symlinkSync(file(`${URL_TEXT}\n`), link);
    expect((await loadConfig({ CHOM_DATABASE_URL_FILE: link })).database.url).toBe(URL_TEXT);
  });
});

describe('the configuration file is bounded in size and in what it reports', () => {
  it('refuses a file over 256 KiB, naming CHOM_CONFIG', async () => {
    const big = file(`# ${'x'.repeat(configLimits.configFileBytes)}\nlog: { level: info }\n`);
    const error = await problemsOf(() => loadConfig({}, big));
    expect(error.problems).toEqual([`CHOM_CONFIG: "${big}" is larger than 256 KiB`]);
  });

  it('names ten unknown keys of twenty thousand and counts the others', async () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join('\n');
    const error = await problemsOf(() => loadConfig({}, file(keys)));
    expect(error.problems).toEqual([
      `(root): unknown key(s) ${Array.from({ length: 10 }, (_, i) => `"k${i}"`).join(', ')} and 19990 more`,
    ]);
  });

  it('parses the file off the event loop, which keeps turning meanwhile', async () => {
    // About 15,000 nodes: the better part of a second of parsing.
    const channels = Array.from({ length: 15_000 }, (_, i) => `    - c${i}`).join('\n');
    const path = file(`labels:\n  channels:\n${channels}\n`);
    let turns = 0;
    let parsing = true;
    const spin = () => {
      if (!parsing) return;
      turns += 1;
      setImmediate(spin);
    };
    setImmediate(spin);
    const error = await problemsOf(() => loadConfig({}, path));
    parsing = false;
    expect(error.problems).toEqual([
      'labels.channels: Too big: expected array to have <=100 items',
    ]);
    // Parsed on the main thread, the loop would not turn once before the result.
    expect(turns).toBeGreaterThan(100);
  });

  it('still refuses a duplicated key, giving its position only', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}: 1`);
    keys.push('k500: 2');
    const path = file(keys.join('\n'));
    const error = await problemsOf(() => loadConfig({}, path));
    expect(error.problems).toEqual([
      `${path}: not valid YAML at line 1001, column 1 (DUPLICATE_KEY)`,
    ]);
  });

  it('lists twenty problems and says how many more there are', async () => {
    const queries = Array.from(
      { length: 30 },
      (_, i) => `  q${i}:\n    sql: SELECT 1 AS v\n    metrics: []\n`,
    ).join('');
    const error = await problemsOf(() => loadConfig({}, file(`custom:\n${queries}`)));
    expect(error.problems.length).toBeGreaterThan(20);
    const listed = error.message.split('\n').filter((line) => line.startsWith('  - '));
    expect(listed).toHaveLength(20);
    expect(error.message).toContain(`  ... and ${error.problems.length - 20} more problems`);
  });
});
