import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { adminUrl } from './database.js';

/** What the numbers were measured on, stored with every result file. */
export async function machine() {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const { rows } = await client.query('SHOW server_version');
  await client.end();
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: String(rows[0].server_version),
    // `wrk -v` prints its version and exits with 1.
    wrk: spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout?.split('\n')[0]?.trim(),
    date: new Date().toISOString(),
  };
}
