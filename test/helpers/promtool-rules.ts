import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

/**
 * The unit tests of prometheus/tests/ scrape every raw series from one
 * exporter replica, marked by these labels. A second replica reports the same
 * values under its own instance and pod (as under the Prometheus Operator).
 */
export const replicaA = { instance: 'a:9820', pod: 'a' } as const;
export const replicaB = { instance: 'b:9820', pod: 'b' } as const;

export interface InputSeries {
  series: string;
  values: string;
}
export interface ExpAlert {
  exp_labels?: Record<string, string>;
  exp_annotations?: Record<string, string>;
}
export interface AlertCase {
  eval_time: string;
  alertname: string;
  exp_alerts?: ExpAlert[];
}
export interface ExprCase {
  expr: string;
  eval_time: string;
  exp_samples?: { labels: string; value: number }[];
}
export interface TestGroup {
  name?: string;
  interval: string;
  input_series?: InputSeries[];
  alert_rule_test?: AlertCase[];
  promql_expr_test?: ExprCase[];
}
export interface RuleTestFile {
  rule_files: string[];
  evaluation_interval?: string;
  tests: TestGroup[];
}

export const readTestFile = (path: string) => parse(readFileSync(path, 'utf8')) as RuleTestFile;

const markerA = `instance="${replicaA.instance}"`;
const markerB = `instance="${replicaB.instance}"`;

/** A series selector of replica a, as replica b reports it. */
export const asReplicaB = (series: string) =>
  series.replace(markerA, markerB).replace(`pod="${replicaA.pod}"`, `pod="${replicaB.pod}"`);

/** Whether a series selector is scraped from replica a (carries its instance and pod). */
export const fromReplicaA = (series: string) =>
  series.includes(markerA) && series.includes(`pod="${replicaA.pod}"`);

/** An expected alert about replica a, as replica b raises it (its texts name b). */
function asReplicaBAlert(alert: ExpAlert): ExpAlert {
  const annotations = Object.entries(alert.exp_annotations ?? {}).map(([key, text]) => [
    key,
    text.replaceAll(replicaA.instance, replicaB.instance),
  ]);
  return {
    exp_labels: { ...alert.exp_labels, ...replicaB },
    exp_annotations: Object.fromEntries(annotations),
  };
}

/**
 * The same tests with every series of replica a also scraped from replica b,
 * equal values. Expectations stay as they are: every rule and alert must give
 * one replica's value. Only an alert about one replica's own process (it keeps
 * `instance`) is expected once more, for replica b, with the same value.
 */
export function withSecondReplica(file: RuleTestFile, folder: string): RuleTestFile {
  const twin = structuredClone(file);
  twin.rule_files = file.rule_files.map((rules) => resolve(folder, rules));
  for (const group of twin.tests) {
    const inputs = group.input_series ?? [];
    group.input_series = inputs.flatMap((input) =>
      fromReplicaA(input.series)
        ? [input, { ...input, series: asReplicaB(input.series) }]
        : [input],
    );
    for (const test of group.alert_rule_test ?? []) {
      test.exp_alerts = (test.exp_alerts ?? []).flatMap((alert) =>
        alert.exp_labels?.instance === replicaA.instance
          ? [alert, asReplicaBAlert(alert)]
          : [alert],
      );
    }
  }
  return twin;
}

/** Writes the two-replica twin of a test file into `dir`; returns its path. */
export function writeTwin(path: string, dir: string): string {
  const target = join(dir, basename(path).replace(/\.yml$/, '.two-replicas.yml'));
  writeFileSync(target, stringify(withSecondReplica(readTestFile(path), dirname(path))));
  return target;
}

/** `promtool test rules FILE` without blocking the event loop, so files run side by side. */
export function promtoolTestRules(
  file: string,
): Promise<{ status: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn('promtool', ['test', 'rules', file], { cwd: dirname(file) });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', (error) =>
      fail(new Error(`promtool is not runnable (Debian package prometheus): ${error.message}`)),
    );
    child.once('close', (status) => done({ status, output }));
  });
}
