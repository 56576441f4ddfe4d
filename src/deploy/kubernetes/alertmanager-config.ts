import { basename } from 'node:path';
import type { IAlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import type { IInhibitRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/InhibitRule';
import type { IReceiver } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Receiver';
import type { IRoute } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Route';
import { parse } from 'yaml';
import { matchersFromMaps, parseMatcher } from './alertmanager-matchers.js';
import { receiverConverter } from './alertmanager-receivers.js';
import { type Fields, prune, refuseUnknown } from './fields.js';
import { alertmanagerSecretName, appName, commonLabels } from './names.js';

/**
 * prometheus/alertmanager/alertmanager.yml (hand-written, checked with amtool)
 * as an AlertmanagerConfig: the same routes, inhibitions and receivers, so
 * the two cannot drift. Secrets read from files there come from the keys of
 * one Secret here, named after the files. A key this converter does not know
 * stops `npm run generate` with its path, rather than being dropped.
 */
export function alertmanagerConfig(
  alertmanagerYaml: string,
  templates: string,
): IAlertmanagerConfig {
  const source = parse(alertmanagerYaml) as Fields;
  const {
    route,
    receivers,
    inhibit_rules: inhibitRules,
    global,
    templates: _files,
    ...rest
  } = source;
  refuseUnknown(rest, 'alertmanager.yml');
  const toReceiver = receiverConverter((global ?? {}) as Fields, templates, alertmanagerSecretName);
  return {
    apiVersion: 'monitoring.coreos.com/v1alpha1',
    kind: 'AlertmanagerConfig',
    metadata: { name: appName, labels: { ...commonLabels } },
    spec: {
      route: convertRoute(route as Fields, 'route'),
      receivers: (receivers as Fields[]).map((receiver, index) =>
        toReceiver(receiver, `receivers[${index}]`),
      ) as IReceiver[],
      inhibitRules: ((inhibitRules ?? []) as Fields[]).map((rule, index) =>
        convertInhibitRule(rule, `inhibit_rules[${index}]`),
      ),
    },
  };
}

/** The Secret keys the AlertmanagerConfig reads: the basenames of alertmanager.yml's *_file paths. */
export function alertmanagerSecretKeys(alertmanagerYaml: string): string[] {
  const keys = new Set<string>();
  const walk = (node: unknown, key = ''): void => {
    if (typeof node === 'string' && key.endsWith('_file')) keys.add(basename(node));
    else if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node && typeof node === 'object')
      for (const [name, value] of Object.entries(node)) walk(value, name);
  };
  walk(parse(alertmanagerYaml));
  return [...keys].sort();
}

function convertRoute(route: Fields, where: string): IRoute {
  const {
    receiver,
    group_by: groupBy,
    group_wait: groupWait,
    group_interval: groupInterval,
    repeat_interval: repeatInterval,
    matchers,
    match,
    match_re: matchRe,
    continue: continueMatching,
    routes,
    mute_time_intervals: muteTimeIntervals,
    active_time_intervals: activeTimeIntervals,
    ...rest
  } = route;
  refuseUnknown(rest, where);
  const allMatchers = [
    ...((matchers ?? []) as string[]).map((m, i) => parseMatcher(m, `${where}.matchers[${i}]`)),
    ...matchersFromMaps(match as Record<string, string>, matchRe as Record<string, string>),
  ];
  return prune({
    receiver: receiver as string | undefined,
    groupBy: groupBy as string[] | undefined,
    groupWait: groupWait as string | undefined,
    groupInterval: groupInterval as string | undefined,
    repeatInterval: repeatInterval as string | undefined,
    matchers: allMatchers.length > 0 ? allMatchers : undefined,
    continue: continueMatching as boolean | undefined,
    muteTimeIntervals: muteTimeIntervals as string[] | undefined,
    activeTimeIntervals: activeTimeIntervals as string[] | undefined,
    routes: (routes as Fields[] | undefined)?.map((child, index) => ({
      ...convertRoute(child, `${where}.routes[${index}]`),
    })),
  });
}

function convertInhibitRule(rule: Fields, where: string): IInhibitRule {
  const {
    source_matchers: sourceMatchers,
    target_matchers: targetMatchers,
    source_match: sourceMatch,
    source_match_re: sourceMatchRe,
    target_match: targetMatch,
    target_match_re: targetMatchRe,
    equal,
    ...rest
  } = rule;
  refuseUnknown(rest, where);
  const side = (strings: unknown, eq: unknown, re: unknown, name: string) => [
    ...((strings ?? []) as string[]).map((m, i) => parseMatcher(m, `${where}.${name}[${i}]`)),
    ...matchersFromMaps(eq as Record<string, string>, re as Record<string, string>),
  ];
  return prune({
    sourceMatch: side(sourceMatchers, sourceMatch, sourceMatchRe, 'source_matchers'),
    targetMatch: side(targetMatchers, targetMatch, targetMatchRe, 'target_matchers'),
    equal: equal as string[] | undefined,
  });
}
