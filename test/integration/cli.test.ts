import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFixtureSql } from '../fixtures/app-fixture.js';
import { parseExposition, sampleValue } from '../helpers/exposition.js';
import { freePort, tempDir, waitUntil } from '../helpers/processes.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const cli = ['--import', 'tsx', 'src/cli.ts'];

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [...cli, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('chom-exporter CLI', () => {
  let db: TestDatabase;
  const dir = tempDir('chom-cli-');

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(appFixtureSql);
  });
  afterAll(async () => {
    dir.remove();
    await db.drop();
  });

  it.each(['serve', 'demo', 'check-config', 'once', 'generate'])(
    '%s --help describes the command',
    (command) => {
      const { status, stdout } = run([command, '--help']);
      expect(status).toBe(0);
      expect(stdout).toContain(`Usage: chom-exporter ${command}`);
    },
  );

  it('lists the commands with --help and refuses an unknown one', () => {
    expect(run(['--help']).stdout).toMatch(
      /serve[\s\S]*demo[\s\S]*check-config[\s\S]*once[\s\S]*generate/,
    );
    const unknown = run(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('check-config accepts a valid configuration and names the bad keys of an invalid one', () => {
    const good = join(dir.path, 'good.yml');
    writeFileSync(good, 'collectors:\n  postgres_nps:\n    windowDays: 30\n');
    const valid = run(['check-config', '--config', good]);
    expect(valid.status).toBe(0);
    expect(valid.stdout).toMatch(/^configuration is valid\ncollectors: postgres_active_users, /);
    expect(valid.stdout).toContain('app database: none set: demo mode');
    const bad = join(dir.path, 'bad.yml');
    writeFileSync(bad, 'collectors:\n  postgres_nps:\n    schedule: every day\nsurprise: true\n');
    const result = run(['check-config', '--config', bad], { CHOM_PORT: 'abc' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('collectors.postgres_nps.schedule: expected a cron expression');
    expect(result.stderr).toContain('(root): unknown key(s) "surprise"');
    expect(result.stderr).toContain('CHOM_PORT: expected an integer');
  });

  it('check-config says what a Stripe-only configuration runs, and refuses an unknown collector name', () => {
    const stripeOnly = join(dir.path, 'stripe-only.yml');
    writeFileSync(
      stripeOnly,
      'collectors:\n  only: [billing_mrr]\n  billing_mrr:\n    source: stripe\n',
    );
    const key = { CHOM_STRIPE_API_KEY: 'rk_test_CliCheck1' };
    expect(run(['check-config', '--config', stripeOnly], key)).toMatchObject({
      status: 0,
      stdout:
        'configuration is valid\ncollectors: billing_mrr\napp database: none needed (no enabled collector reads one)\n',
    });
    const withoutKey = run(['check-config', '--config', stripeOnly]);
    expect(withoutKey.status).toBe(2);
    expect(withoutKey.stderr).toContain(
      'collectors.billing_mrr.source: "stripe" needs a Stripe API key',
    );
    const typo = join(dir.path, 'typo.yml');
    writeFileSync(typo, 'collectors:\n  only: [biling_mrr]\n');
    const refused = run(['check-config', '--config', typo]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('collectors.only.0: unknown collector "biling_mrr"');
  });

  it('once prints the exposition and exits 0, or 1 when a collector fails', () => {
    const ok = run(['once'], { CHOM_DATABASE_URL: db.url, CHOM_LOG_LEVEL: 'silent' });
    expect(ok.status).toBe(0);
    expect(sampleValue(parseExposition(ok.stdout), 'chom_nps_score')).toBe(25);
    const config = join(dir.path, 'broken-query.yml');
    writeFileSync(
      config,
      'collectors:\n  postgres_nps:\n    queries:\n      responses: SELECT 1 AS promoters\n',
    );
    const failing = run(['once', '--config', config], { CHOM_DATABASE_URL: db.url });
    expect(failing.status).toBe(1);
    // The JSON log line escapes the quotes around the column names.
    expect(failing.stderr).toContain('is missing column(s) \\"passives\\", \\"detractors\\"');
  });

  it('generate writes rules, runbooks and dashboards with the thresholds of the given config', () => {
    const config = join(dir.path, 'kpi.yml');
    writeFileSync(config, 'kpi:\n  thresholds:\n    nps:\n      warning: 45\n');
    const out = join(dir.path, 'out');
    const result = run(['generate', '--config', config, '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('wrote prometheus/rules/chom-alerts.rules.yml');
    const alerts = readFileSync(join(out, 'prometheus/rules/chom-alerts.rules.yml'), 'utf8');
    expect(alerts).toContain('expr: max without (instance, pod) (chom_nps_score) < 45');
    expect(alerts).not.toContain('expr: max without (instance, pod) (chom_nps_score) < 30');
    expect(readFileSync(join(out, 'docs/runbooks.md'), 'utf8')).toContain('## ChomNpsLow');
    // The PrometheusRule for Kubernetes carries the same thresholds.
    const rule = readFileSync(join(out, 'deploy/kubernetes/base/prometheus-rule.yaml'), 'utf8');
    expect(rule).toContain('expr: max without (instance, pod) (chom_nps_score) < 45');
    expect(rule).not.toContain('expr: max without (instance, pod) (chom_nps_score) < 30');
  });

  it('reloads on SIGHUP: a valid change is applied, an invalid one refused while the old config runs', async () => {
    const config = join(dir.path, 'reload.yml');
    writeFileSync(config, 'collectors:\n  postgres_nps:\n    windowDays: 90\n');
    const port = await freePort();
    const child = spawn(process.execPath, [...cli, 'serve', '--config', config], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CHOM_DATABASE_URL: db.url,
        CHOM_PORT: String(port),
        CHOM_HOST: '127.0.0.1',
        CHOM_LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    const scrape = async () =>
      parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    try {
      await waitUntil(
        'the exporter ready',
        60,
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
      );
      expect(
        sampleValue(await scrape(), 'chom_collector_success', { collector: 'postgres_referrals' }),
      ).toBe(1);

      // Valid: disable a collector. Its series leave the exposition.
      writeFileSync(config, 'collectors:\n  postgres_referrals:\n    enabled: false\n');
      child.kill('SIGHUP');
      await waitUntil(
        'the reload applied',
        30,
        async () =>
          sampleValue(await scrape(), 'chom_collector_success', {
            collector: 'postgres_referrals',
          }) === undefined,
      );
      let samples = await scrape();
      expect(sampleValue(samples, 'chom_referrals_sent_total')).toBeUndefined();
      expect(sampleValue(samples, 'chom_config_last_reload_successful')).toBe(1);

      // Invalid: refused; the running config (referrals disabled, NPS enabled) stays.
      writeFileSync(config, 'collectors:\n  postgres_nps:\n    windowDays: -5\n');
      child.kill('SIGHUP');
      await waitUntil(
        'the refusal recorded',
        30,
        async () => sampleValue(await scrape(), 'chom_config_last_reload_successful') === 0,
      );
      samples = await scrape();
      expect(
        sampleValue(samples, 'chom_collector_success', { collector: 'postgres_referrals' }),
      ).toBeUndefined();
      expect(sampleValue(samples, 'chom_nps_score')).toBe(25);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 120_000);
});
