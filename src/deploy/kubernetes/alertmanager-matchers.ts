import type { IMatcher } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Matcher';

const matcherPattern = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

/**
 * An Alertmanager matcher string (`severity="critical"`, `team=~"a|b"`) as the
 * AlertmanagerConfig's structured matcher. Quoted values follow Alertmanager's
 * escapes (\" \\ \n); anything else is refused with the text quoted.
 */
export function parseMatcher(text: string, where: string): IMatcher {
  const match = matcherPattern.exec(text);
  if (!match) throw new Error(`${where}: cannot read the matcher ${JSON.stringify(text)}`);
  const [, name, matchType, rawValue] = match as unknown as [string, string, string, string];
  return { name, matchType: matchType as IMatcher['matchType'], value: unquote(rawValue, where) };
}

/** The deprecated `match` / `match_re` maps, as matchers. */
export function matchersFromMaps(
  equal: Record<string, string> | undefined,
  regex: Record<string, string> | undefined,
): IMatcher[] {
  return [
    ...Object.entries(equal ?? {}).map(([name, value]) => ({
      name,
      value,
      matchType: '=' as const,
    })),
    ...Object.entries(regex ?? {}).map(([name, value]) => ({
      name,
      value,
      matchType: '=~' as const,
    })),
  ];
}

function unquote(raw: string, where: string): string {
  if (!raw.startsWith('"')) return raw;
  if (raw.length < 2 || !raw.endsWith('"') || raw.endsWith('\\"'))
    throw new Error(`${where}: unterminated quoted value ${raw}`);
  return raw
    .slice(1, -1)
    .replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
}
