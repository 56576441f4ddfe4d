import {
  boards,
  dataPanels,
  expand,
  labelValuesQuery,
  targetsOf,
  variablesOf,
} from '../../test/dashboards/model.js';

/** One HTTP request Grafana sends to Prometheus when a board opens. */
export interface BoardRequest {
  readonly kind: 'variable' | 'instant' | 'range';
  readonly expr: string;
  /** Path and query string on the Prometheus server. */
  readonly path: string;
}

export interface BoardLoad {
  readonly uid: string;
  readonly queryStepSeconds: number;
  readonly rateInterval: string;
  readonly requests: readonly BoardRequest[];
}

/** Grafana's default resolution: about this many points across the panel. */
const points = 1000;

/**
 * The requests each board sends when opened over `rangeMs` up to `endMs`, as
 * Grafana builds them: $__interval is range / points (whole seconds), and
 * $__rate_interval is max($__interval + scrape interval, 4 x scrape interval)
 * (Grafana's definition), where the scrape interval is the step of the
 * backfilled data (`dataStepMs`): with the shipped data source's 30 s, a rate
 * over history sampled every few hours would find fewer than two samples and
 * answer nothing, which would time an empty answer. Range queries are aligned
 * to their step as Grafana's Prometheus data source does; instant queries run
 * at the end of the range; variables are label-values lookups over the range.
 * `stats=all` makes Prometheus report the samples it read.
 */
export function boardRequests(options: {
  readonly endMs: number;
  readonly rangeMs: number;
  readonly dataStepMs: number;
}): BoardLoad[] {
  const stepSeconds = Math.max(1, Math.ceil(options.rangeMs / 1000 / points));
  const scrapeSeconds = options.dataStepMs / 1000;
  const rateSeconds = Math.max(stepSeconds + scrapeSeconds, 4 * scrapeSeconds);
  const end = Math.floor(options.endMs / 1000);
  const start = end - options.rangeMs / 1000;
  const alignedStart = Math.floor(start / stepSeconds) * stepSeconds;
  const alignedEnd = Math.floor(end / stepSeconds) * stepSeconds;
  const builtins = { rateInterval: `${rateSeconds}s`, range: `${options.rangeMs / 1000}s` };
  return boards.map(({ dashboard }) => {
    const grafanaExpand = (expr: string) =>
      expand(
        expr.replace(/\$__interval\b|\$\{__interval\}/g, `${stepSeconds}s`),
        dashboard,
        builtins,
      );
    const variables: BoardRequest[] = variablesOf(dashboard).flatMap((variable) => {
      const lookup = variable.type === 'query' ? labelValuesQuery(variable.query) : undefined;
      if (!lookup) return [];
      const selector = grafanaExpand(lookup.selector);
      return [
        {
          kind: 'variable' as const,
          expr: variable.query as string,
          path: `/api/v1/label/${lookup.label}/values?match[]=${encodeURIComponent(selector)}&start=${start}&end=${end}`,
        },
      ];
    });
    const panels: BoardRequest[] = dataPanels(dashboard).flatMap((panel) =>
      targetsOf(panel)
        .filter((target) => target.expr)
        .map((target) => {
          const expr = grafanaExpand(target.expr ?? '');
          const query = `query=${encodeURIComponent(expr)}&stats=all`;
          return target.instant
            ? { kind: 'instant' as const, expr, path: `/api/v1/query?${query}&time=${end}` }
            : {
                kind: 'range' as const,
                expr,
                path: `/api/v1/query_range?${query}&start=${alignedStart}&end=${alignedEnd}&step=${stepSeconds}`,
              };
        }),
    );
    return {
      uid: dashboard.uid ?? '',
      queryStepSeconds: stepSeconds,
      rateInterval: builtins.rateInterval,
      requests: [...variables, ...panels],
    };
  });
}
