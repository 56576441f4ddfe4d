import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { type Config, configSchema } from './schema.js';

/** A configuration that cannot be used; the message names every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

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
 * This is the only place that reads the environment.
 */
export function loadConfig(env: Env = process.env, file = env.CHOM_CONFIG): Config {
  const problems: string[] = [];
  const raw = file ? readYamlFile(file, problems) : {};
  for (const { env: name, path, type } of envKeys) {
    const value = readEnvOrFile(env, name, problems);
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
export function parseConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(result.error.issues.map(describeIssue));
  return result.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  if (issue.code === 'invalid_key') {
    // A record key (a custom query's name): say what a key must look like.
    return `${where}: bad name: ${issue.issues.map((inner) => inner.message).join('; ')}`;
  }
  return `${where}: ${issue.message}`;
}

function readYamlFile(file: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`CHOM_CONFIG: cannot read config file "${file}": ${(error as Error).message}`);
    return {};
  }
  try {
    const parsed: unknown = parseYaml(text);
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      problems.push(`${file}: expected a mapping at the top level`);
      return {};
    }
    return parsed as Record<string, unknown>;
  } catch (error) {
    // The parser's message quotes the offending line, which may hold a secret: give its position only.
    const { code, linePos } = error as { code?: string; linePos?: { line: number; col: number }[] };
    const at = linePos?.[0] ? ` at line ${linePos[0].line}, column ${linePos[0].col}` : '';
    problems.push(`${file}: not valid YAML${at}${code ? ` (${code})` : ''}`);
    return {};
  }
}

/** `NAME` wins over `NAME_FILE`; a file's trailing newline is not part of the secret. */
function readEnvOrFile(env: Env, name: string, problems: string[]): string | undefined {
  const direct = env[name];
  if (direct !== undefined && direct !== '') return direct;
  const file = env[`${name}_FILE`];
  if (file === undefined || file === '') return undefined;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    problems.push(
      `${name}_FILE: cannot read "${file}": ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
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
