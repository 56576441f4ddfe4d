import { parse, stringify } from 'yaml';

interface RuleGroup {
  name: string;
  interval?: string;
  rules: { record?: string; alert?: string; expr: string; labels?: Record<string, string> }[];
}

/**
 * The recording rules split into layers: a rule in layer n reads only raw
 * metrics and rules of layers before n. `promtool tsdb create-blocks-from
 * rules` evaluates every rule against the Prometheus it is given, so a rule
 * that reads another rule's output finds it only if that output was
 * backfilled (and loaded) in an earlier pass. Each layer is a rules file
 * without group intervals, so the backfill's step is the evaluation interval.
 */
export function ruleLayers(rulesYaml: string): string[] {
  const groups = (parse(rulesYaml) as { groups?: RuleGroup[] }).groups ?? [];
  const recording = groups.map((group) => ({
    ...group,
    rules: group.rules.filter((rule) => rule.record !== undefined),
  }));
  const records = new Set(recording.flatMap((g) => g.rules.map((rule) => rule.record as string)));
  const reads = (expr: string) =>
    [...expr.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
      .map(([name]) => name)
      .filter((n) => records.has(n));
  const layer = new Map<string, number>([...records].map((name) => [name, 0]));
  // Longest chain: at most as many rounds as there are records (a cycle is not a valid rule set).
  for (let round = 0; round <= records.size; round += 1) {
    let changed = false;
    for (const group of recording)
      for (const rule of group.rules) {
        const record = rule.record as string;
        const depth = Math.max(
          0,
          ...reads(rule.expr)
            .filter((n) => n !== record)
            .map((n) => (layer.get(n) ?? 0) + 1),
        );
        if (depth > (layer.get(record) ?? 0)) {
          layer.set(record, depth);
          changed = true;
        }
      }
    if (!changed) break;
  }
  const depth = Math.max(-1, ...layer.values());
  return Array.from({ length: depth + 1 }, (_, n) =>
    stringify({
      groups: recording
        .map(({ interval: _interval, ...group }) => ({
          ...group,
          rules: group.rules.filter((rule) => layer.get(rule.record as string) === n),
        }))
        .filter((group) => group.rules.length > 0),
    }),
  );
}
