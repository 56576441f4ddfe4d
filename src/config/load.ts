import type { z } from 'zod';
import { FileRefused, readBoundedFile } from './bounded-file.js';
import { parseYamlText } from './yaml-text.js';

/**
 * Bounds on what a configuration may cost to read and to report. A config file
 * of a few hundred kB is already very large (fifty custom queries fit in 50 kB);
 * the cap bounds the memory and time of parsing it (on a worker thread).
 */
export const configLimits = {
  configFileBytes: 256 * 1024,
  secretFileBytes: 64 * 1024,
  /** Problems listed in the message (the 400 body of a refused reload, the log, stderr). */
  listedProblems: 20,
  /** Unknown keys named in one problem. */
  listedKeys: 10,
} as const;

/** A configuration that cannot be used; the message names every bad key, up to a bound. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    const listed = problems.slice(0, configLimits.listedProblems);
    const more = problems.length - listed.length;
    const lines = listed.map((p) => `  - ${p}`);
    if (more > 0) lines.push(`  ... and ${more} more problem${more === 1 ? '' : 's'}`);
    super(`invalid configuration:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Environment variables we read, and the config key each one sets. */
const envKeys: readonly { env: string; path: readonly string[]; type: 'string' | 'int' }[] = [
  { env: 'CHOM_DATABASE_URL', path: ['database', 'url'], type: 'string' },
  { env: 'CHOM_EVENTS_DATABASE_URL', path: ['events', 'url'], type: 'string' },
  { env: 'CHOM_STATE_DATABASE_URL', path: ['stateDatabase', 'url'], type: 'string' },
  { env: 'CHOM_STRIPE_API_KEY', path: ['stripe', 'apiKey'], type: 'string' },
  { env: 'CHOM_STRIPE_WEBHOOK_SECRET', path: ['stripe', 'webhookSecret'], type: 'string' },
  { env: 'CHOM_METRICS_BEARER_TOKEN', path: ['server', 'auth', 'bearerToken'], type: 'string' },
  { env: 'CHOM_HOST', path: ['server', 'host'], type: 'string' },
  { env: 'CHOM_PORT', path: ['server', 'port'], type: 'int' },
  { env: 'CHOM_LOG_LEVEL', path: ['log', 'level'], type: 'string' },
];

/** The environment variables the exporter reads, for the docs. */
export const supportedEnvironment = [
  'CHOM_CONFIG',
  ...envKeys.flatMap(({ env, path }) =>
    ['url', 'apiKey', 'webhookSecret', 'auth'].includes(path[1] ?? '')
      ? [env, `${env}_FILE`]
      : [env],
  ),
];

/**
 * Loads the configuration: the YAML file named by `CHOM_CONFIG` (optional), then
 * environment overrides, then validation. Secrets may come from `<VAR>_FILE`.
 * This is the only place that reads the environment. Files are read
 * asynchronously and with a size cap, so a reload never blocks the event loop
 * on a file (a FIFO, a device, a slow mount).
 */
export async function loadConfigWith<S extends z.ZodType>(
  configSchema: S,
  env: Env = process.env,
  file = env.CHOM_CONFIG,
): Promise<z.output<S>> {
  const problems: string[] = [];
  const raw = file ? await readYamlFile(file, problems) : {};
  for (const { env: name, path, type } of envKeys) {
    const value = await readEnvOrFile(env, name, problems);
    if (value === undefined) continue;
    if (type === 'int' && !/^\d+$/.test(value.trim())) {
      problems.push(`${name}: expected an integer, got "${value}"`);
      continue;
    }
    setPath(raw, path, type === 'int' ? Number(value) : value, name, problems);
  }
  // Validate even when the environment had problems, so that every bad key is reported at once.
  const result = configSchema.safeParse(raw);
  if (!result.success) problems.push(...result.error.issues.map(describeIssue));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

/** Validates an already-parsed object (YAML or test input). */
export function parseConfigWith<S extends z.ZodType>(configSchema: S, raw: unknown): z.output<S> {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(result.error.issues.map(describeIssue));
  return result.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  if (issue.code === 'unrecognized_keys') {
    const listed = issue.keys.slice(0, configLimits.listedKeys).map((k) => `"${k.slice(0, 100)}"`);
    const more = issue.keys.length - listed.length;
    return `${where}: unknown key(s) ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  }
  if (issue.code === 'invalid_key') {
    // A record key (a custom query's name): say what a key must look like.
    return `${where}: bad name: ${issue.issues.map((inner) => inner.message).join('; ')}`;
  }
  return `${where}: ${issue.message}`;
}

async function readYamlFile(file: string, problems: string[]): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = (await readBoundedFile(file, configLimits.configFileBytes)).toString('utf8');
  } catch (error) {
    const reason = error instanceof FileRefused ? error.message : String(error);
    problems.push(`CHOM_CONFIG: ${reason}`);
    return {};
  }
  const parsed = await parseYamlText(text, file);
  problems.push(...parsed.problems);
  return parsed.value;
}

/** `NAME` wins over `NAME_FILE`; a file's trailing newline is not part of the secret. */
async function readEnvOrFile(
  env: Env,
  name: string,
  problems: string[],
): Promise<string | undefined> {
  const direct = env[name];
  if (direct !== undefined && direct !== '') return direct;
  const file = env[`${name}_FILE`];
  if (file === undefined || file === '') return undefined;
  try {
    const bytes = await readBoundedFile(file, configLimits.secretFileBytes);
    return bytes.toString('utf8').replace(/\r?\n$/, '');
  } catch (error) {
    problems.push(`${name}_FILE: ${error instanceof FileRefused ? error.message : String(error)}`);
    return undefined;
  }
}

/** Sets a nested key; a file value of the wrong shape on the way is reported, not overwritten. */
function setPath(
  target: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
  source: string,
  problems: string[],
): void {
  let node = target;
  for (const [index, key] of path.slice(0, -1).entries()) {
    const next = node[key];
    if (next === undefined || next === null) node[key] = {};
    else if (typeof next !== 'object' || Array.isArray(next)) {
      problems.push(
        `${path.slice(0, index + 1).join('.')}: expected a mapping (so that ${source} can set ${path.join('.')})`,
      );
      return;
    }
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}
