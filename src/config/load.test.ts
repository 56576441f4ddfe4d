import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../app/config.js';
import { collectors } from '../collectors/index.js';
import { ConfigError } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'chom-config-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCounter = 0;
/** Writes `text` to a fresh file in the test folder and returns its path. */
function tempFile(text: string, extension = '.yaml'): string {
  fileCounter += 1;
  const path = join(dir, `file-${fileCounter}${extension}`);
  writeFileSync(path, text);
  return path;
}

/** Runs `load` and returns the ConfigError it throws; fails the test when it does not throw one. */
async function configErrorOf(load: () => unknown): Promise<ConfigError> {
  try {
    await load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

const APP_URL = 'postgres://app:app-pass@yaml-host:5432/app';
const ENV_URL = 'postgresql://env:env-pass@env-host:5432/app';

describe('parseConfig defaults', () => {
  const config = parseConfig({});

  it('listens on port 9820 on all interfaces', async () => {
    expect(config.server).toEqual({ host: '0.0.0.0', port: 9820 });
  });

  it('leaves the database URLs unset', async () => {
    expect(config.database.url).toBeUndefined();
    expect(config.events.url).toBeUndefined();
  });

  it.each(collectors.map((collector) => [collector.name]))('enables collector %s', async (name) => {
    expect(config.collectors[name]?.enabled).toBe(true);
  });

  it('has no collector entries beyond the known collectors', async () => {
    expect(Object.keys(config.collectors).sort()).toEqual(collectors.map((c) => c.name).sort());
  });

  it('provides the default label vocabularies', async () => {
    expect(config.labels).toEqual({
      channels: ['organic', 'paid', 'referral', 'direct', 'social', 'email', 'content'],
      features: [
        'dashboards',
        'reports',
        'integrations',
        'api',
        'alerts',
        'exports',
        'team_invites',
        'automation',
      ],
      landingPages: ['home', 'pricing', 'features', 'signup', 'enterprise', 'webinar'],
    });
  });

  it('gives the same result as loadConfig with no file and an empty environment', async () => {
    expect(await loadConfig({}, undefined)).toEqual(config);
  });
});

describe('parseConfig rejects bad configurations, naming the key', () => {
  it.each([
    ['an unknown top-level key', { bogus: 1 }, '(root): unknown key(s) "bogus"'],
    [
      'an unknown key inside a collector',
      { collectors: { postgres_nps: { bogus: true } } },
      'collectors.postgres_nps: unknown key(s) "bogus"',
    ],
    [
      'an unknown collector name',
      { collectors: { postgres_nope: {} } },
      'collectors: unknown key(s) "postgres_nope"',
    ],
    ['a port that is not a number', { server: { port: 'abc' } }, 'server.port:'],
    ['a port out of range', { server: { port: 70000 } }, 'server.port:'],
    [
      'a schedule that is not a cron expression',
      { collectors: { postgres_nps: { schedule: 'every five minutes' } } },
      'collectors.postgres_nps.schedule:',
    ],
    [
      'a cron expression with an out-of-range field',
      { collectors: { postgres_nps: { schedule: '61 * * * *' } } },
      'collectors.postgres_nps.schedule:',
    ],
    ['a database URL that is not PostgreSQL', { database: { url: 'mysql://x' } }, 'database.url:'],
    [
      'an events URL with another scheme',
      { events: { url: 'https://db.example/app' } },
      'events.url:',
    ],
    [
      'a query override for a query the collector does not have',
      { collectors: { postgres_nps: { queries: { nope: 'SELECT 1' } } } },
      'collectors.postgres_nps.queries: unknown key(s) "nope"',
    ],
    ['an empty label vocabulary', { labels: { channels: [] } }, 'labels.channels:'],
    ['a log level that does not exist', { log: { level: 'loud' } }, 'log.level:'],
    [
      'a full-sync interval under a minute (other than 0)',
      { stripe: { fullSyncIntervalSeconds: 30 } },
      'stripe.fullSyncIntervalSeconds: expected 0 or at least 60',
    ],
    [
      'a webhook secret that is not one',
      { stripe: { apiKey: 'rk_test_abc', webhookSecret: 'sk_test_abc' } },
      'stripe.webhookSecret: expected a webhook signing secret',
    ],
    [
      'a webhook secret without an API key',
      { stripe: { webhookSecret: 'whsec_abc' } },
      'stripe.webhookSecret: needs stripe.apiKey',
    ],
  ])('%s', async (_, raw, expected) => {
    const error = await configErrorOf(() => parseConfig(raw));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(expected);
    expect(error.message).toContain(expected);
  });

  it('reads the webhook secret from CHOM_STRIPE_WEBHOOK_SECRET_FILE and never echoes a bad one', async () => {
    const file = tempFile('whsec_FromFile123\n', '.secret');
    const config = await loadConfig(
      { CHOM_STRIPE_API_KEY: 'rk_test_abc', CHOM_STRIPE_WEBHOOK_SECRET_FILE: file },
      undefined,
    );
    expect(config.stripe.webhookSecret).toBe('whsec_FromFile123');
    expect(config.stripe.fullSyncIntervalSeconds).toBe(3600);
    const error = await configErrorOf(() =>
      loadConfig({ CHOM_STRIPE_API_KEY: 'rk_test_abc', CHOM_STRIPE_WEBHOOK_SECRET: 'oops-secret' }),
    );
    expect(error.message).toContain('stripe.webhookSecret');
    expect(error.message).not.toContain('oops-secret');
  });

  it('accepts a cron expression with a seconds field', async () => {
    const config = parseConfig({ collectors: { postgres_nps: { schedule: '0 */5 * * * *' } } });
    expect(config.collectors.postgres_nps?.schedule).toBe('0 */5 * * * *');
  });

  it('reports several problems at once', async () => {
    const error = await configErrorOf(() =>
      parseConfig({
        bogus: 1,
        server: { port: 'abc' },
        database: { url: 'mysql://x' },
        collectors: { postgres_nps: { schedule: 'nope' } },
      }),
    );
    expect(error.problems).toHaveLength(4);
    for (const path of [
      '(root)',
      'server.port',
      'database.url',
      'collectors.postgres_nps.schedule',
    ]) {
      expect(error.message).toContain(`${path}:`);
    }
  });
});

describe('query overrides', () => {
  it('accepts an override for a query the collector has', async () => {
    const config = parseConfig({
      collectors: { postgres_nps: { queries: { responses: 'SELECT 1 AS promoters' } } },
    });
    expect(config.collectors.postgres_nps).toMatchObject({
      queries: { responses: 'SELECT 1 AS promoters' },
    });
  });
});

describe('loadConfig from environment variables', () => {
  it.each([
    ['CHOM_DATABASE_URL', ENV_URL, (c: ReturnType<typeof parseConfig>) => c.database.url],
    ['CHOM_EVENTS_DATABASE_URL', ENV_URL, (c: ReturnType<typeof parseConfig>) => c.events.url],
    ['CHOM_HOST', '127.0.0.1', (c: ReturnType<typeof parseConfig>) => c.server.host],
    ['CHOM_LOG_LEVEL', 'debug', (c: ReturnType<typeof parseConfig>) => c.log.level],
  ])('%s sets its key', async (name, value, read) => {
    expect(read(await loadConfig({ [name]: value }, undefined))).toBe(value);
  });

  it('CHOM_PORT sets the port as a number', async () => {
    expect((await loadConfig({ CHOM_PORT: '9999' }, undefined)).server.port).toBe(9999);
  });

  it.each(['abc', '12.5'])('rejects CHOM_PORT=%s naming CHOM_PORT', async (value) => {
    const error = await configErrorOf(() => loadConfig({ CHOM_PORT: value }, undefined));
    expect(error.problems).toEqual([expect.stringContaining('CHOM_PORT')]);
  });

  it('treats an empty variable as unset', async () => {
    expect((await loadConfig({ CHOM_PORT: '', CHOM_HOST: '' }, undefined)).server).toEqual(
      parseConfig({}).server,
    );
  });

  it('reports a bad value set through the environment under its config key', async () => {
    const error = await configErrorOf(() =>
      loadConfig({ CHOM_DATABASE_URL: 'mysql://x' }, undefined),
    );
    expect(error.message).toContain('database.url:');
  });
});

describe('loadConfig secrets from <NAME>_FILE', () => {
  it.each([
    ['no trailing newline', ''],
    ['a trailing LF', '\n'],
    ['a trailing CRLF', '\r\n'],
  ])('reads the value from the file, with %s stripped', async (_, ending) => {
    const file = tempFile(`${ENV_URL}${ending}`, '.secret');
    const config = await loadConfig({ CHOM_DATABASE_URL_FILE: file }, undefined);
    expect(config.database.url).toBe(ENV_URL);
  });

  it('reads the events URL from CHOM_EVENTS_DATABASE_URL_FILE', async () => {
    const file = tempFile(`${ENV_URL}\n`, '.secret');
    expect((await loadConfig({ CHOM_EVENTS_DATABASE_URL_FILE: file }, undefined)).events.url).toBe(
      ENV_URL,
    );
  });

  it('prefers NAME over NAME_FILE', async () => {
    const file = tempFile(`${APP_URL}\n`, '.secret');
    const config = await loadConfig(
      { CHOM_DATABASE_URL: ENV_URL, CHOM_DATABASE_URL_FILE: file },
      undefined,
    );
    expect(config.database.url).toBe(ENV_URL);
  });

  it('falls back to NAME_FILE when NAME is empty', async () => {
    const file = tempFile(`${APP_URL}\n`, '.secret');
    const config = await loadConfig(
      { CHOM_DATABASE_URL: '', CHOM_DATABASE_URL_FILE: file },
      undefined,
    );
    expect(config.database.url).toBe(APP_URL);
  });

  describe('when the file cannot be used, the message names the variable but not the secret', () => {
    const secret = 'hunter2-do-not-log';
    const secretFile = tempFile(`postgres://exporter:${secret}@db:5432/app\n`, '.secret');

    it('the secret file itself is readable (control case)', async () => {
      const config = await loadConfig({ CHOM_DATABASE_URL_FILE: secretFile }, undefined);
      expect(config.database.url).toContain(secret);
    });

    it('a missing file', async () => {
      const missing = `${secretFile}.missing`;
      const error = await configErrorOf(() =>
        loadConfig({ CHOM_DATABASE_URL: undefined, CHOM_DATABASE_URL_FILE: missing }, undefined),
      );
      expect(error.problems).toEqual([expect.stringContaining('CHOM_DATABASE_URL_FILE')]);
      expect(error.message).toContain('ENOENT');
      expect(error.message).not.toContain(secret);
    });

    it('a folder instead of a file', async () => {
      const error = await configErrorOf(() =>
        loadConfig({ CHOM_DATABASE_URL_FILE: dir }, undefined),
      );
      expect(error.problems).toEqual([expect.stringContaining('CHOM_DATABASE_URL_FILE')]);
      expect(error.message).not.toContain(secret);
    });

    it('a file holding a URL that is not PostgreSQL', async () => {
      const file = tempFile(`mysql://exporter:${secret}@db:3306/app\n`, '.secret');
      const error = await configErrorOf(() =>
        loadConfig({ CHOM_DATABASE_URL_FILE: file }, undefined),
      );
      expect(error.message).toContain('database.url:');
      expect(error.message).not.toContain(secret);
    });
  });

  it('reports every unreadable or bad variable at once', async () => {
    const error = await configErrorOf(() =>
      loadConfig(
        { CHOM_PORT: 'abc', CHOM_EVENTS_DATABASE_URL_FILE: join(dir, 'absent.secret') },
        undefined,
      ),
    );
    expect(error.problems).toHaveLength(2);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('CHOM_EVENTS_DATABASE_URL_FILE'),
        expect.stringContaining('CHOM_PORT'),
      ]),
    );
  });
});

describe('loadConfig from a YAML file', () => {
  it('reads settings from the file', async () => {
    const file = tempFile(
      `server:\n  port: 9100\ndatabase:\n  url: ${APP_URL}\ncollectors:\n  postgres_nps:\n    enabled: false\n`,
    );
    const config = await loadConfig({}, file);
    expect(config.server.port).toBe(9100);
    expect(config.database.url).toBe(APP_URL);
    expect(config.collectors.postgres_nps?.enabled).toBe(false);
  });

  it('reads the file named by CHOM_CONFIG when no file is passed', async () => {
    const file = tempFile('server:\n  port: 9101\n');
    expect((await loadConfig({ CHOM_CONFIG: file })).server.port).toBe(9101);
  });

  it('treats an empty file as an empty configuration', async () => {
    expect(await loadConfig({}, tempFile(''))).toEqual(parseConfig({}));
  });

  it('lets the environment override the file', async () => {
    const file = tempFile(`database:\n  url: ${APP_URL}\n`);
    expect((await loadConfig({ CHOM_DATABASE_URL: ENV_URL }, file)).database.url).toBe(ENV_URL);
  });

  it('keeps the sibling keys of the file when the environment overrides one key', async () => {
    const file = tempFile('server:\n  host: 127.0.0.1\n  port: 9100\n');
    expect((await loadConfig({ CHOM_PORT: '9200' }, file)).server).toEqual({
      host: '127.0.0.1',
      port: 9200,
    });
  });

  it('reports keys of the file that the schema rejects by path', async () => {
    const file = tempFile('collectors:\n  postgres_nps:\n    windowDays: "ninety"\n');
    const error = await configErrorOf(() => loadConfig({}, file));
    expect(error.message).toContain('collectors.postgres_nps.windowDays:');
  });

  it.each([
    ['not valid YAML', 'server:\n  port: [9100\n', 'not valid YAML'],
    ['a list at the top level', '- server\n- database\n', 'expected a mapping at the top level'],
    ['a scalar at the top level', 'just a string\n', 'expected a mapping at the top level'],
  ])('rejects a file that is %s, naming the file', async (_, text, expected) => {
    const file = tempFile(text);
    const error = await configErrorOf(() => loadConfig({}, file));
    expect(error.problems).toEqual([expect.stringContaining(file)]);
    expect(error.message).toContain(expected);
  });

  it('rejects a missing file, naming CHOM_CONFIG and the path', async () => {
    const missing = join(dir, 'no-such-config.yaml');
    const error = await configErrorOf(() => loadConfig({}, missing));
    expect(error.problems).toEqual([expect.stringContaining('CHOM_CONFIG')]);
    expect(error.message).toContain(missing);
  });
});

describe('loadConfig edge cases', () => {
  it.each([' ', '0x50', '1e3', '-1', '80.5'])(
    'rejects CHOM_PORT=%j as not an integer',
    async (value) => {
      const error = await configErrorOf(() => loadConfig({ CHOM_PORT: value }));
      expect(error.problems).toEqual([`CHOM_PORT: expected an integer, got "${value}"`]);
    },
  );

  it('reports environment and file problems together', async () => {
    const file = tempFile('bogus: 1\n');
    const error = await configErrorOf(() => loadConfig({ CHOM_PORT: 'abc' }, file));
    expect(error.message).toContain('CHOM_PORT: expected an integer');
    expect(error.message).toContain('(root): unknown key(s) "bogus"');
  });

  it('does not echo the offending YAML line, which may hold a secret', async () => {
    const file = tempFile('database:\n  url: postgres://u:s3cr3t@h/db: x\n');
    const error = await configErrorOf(() => loadConfig({}, file));
    expect(error.message).toMatch(/not valid YAML at line 2, column \d+/);
    expect(error.message).not.toContain('s3cr3t');
  });

  it('reports a file value of the wrong shape instead of letting the environment replace it', async () => {
    const file = tempFile('server: 8080\n');
    const error = await configErrorOf(() => loadConfig({ CHOM_PORT: '9000' }, file));
    expect(error.message).toContain(
      'server: expected a mapping (so that CHOM_PORT can set server.port)',
    );
  });

  it('accepts a property override only on labelled event counters', async () => {
    expect(() =>
      parseConfig({
        collectors: { analytics_event_counters: { counters: { signups: { property: 'x' } } } },
      }),
    ).toThrow(
      /collectors\.analytics_event_counters\.counters\.signups: unknown key\(s\) "property"/,
    );
    const config = parseConfig({
      collectors: {
        analytics_event_counters: { counters: { signups_by_channel: { property: 'utm_source' } } },
      },
    });
    expect(config.collectors.analytics_event_counters).toMatchObject({
      counters: { signups_by_channel: { property: 'utm_source' } },
    });
  });
});
