import type {
  Dashboard,
  Panel,
  RowPanel,
  VariableModel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { parseConfig } from '../../src/app/config.js';
import { type BoardFile, dashboards } from '../../src/dashboards/index.js';
import { dashboardUids } from '../../src/kpi/ids.js';

/** The boards as committed (the drift test keeps the JSON equal to this). */
export const boards: readonly BoardFile[] = dashboards(parseConfig({}).kpi);

export interface Target {
  readonly refId?: string;
  readonly expr?: string;
  readonly legendFormat?: string;
  readonly datasource?: { type?: string; uid?: string };
  readonly instant?: boolean;
  readonly range?: boolean;
}

export const isRow = (panel: Panel | RowPanel): panel is RowPanel => panel.type === 'row';

/** Every panel, rows included, with the panels nested in collapsed rows. */
export function allPanels(board: Dashboard): (Panel | RowPanel)[] {
  return (board.panels ?? []).flatMap((panel) =>
    isRow(panel) ? [panel, ...(panel.panels ?? [])] : [panel],
  );
}

/** The panels that show data (not rows). */
export function dataPanels(board: Dashboard): Panel[] {
  return allPanels(board).filter((panel): panel is Panel => !isRow(panel));
}

export const targetsOf = (panel: Panel): Target[] => (panel.targets ?? []) as Target[];

export const variablesOf = (board: Dashboard): VariableModel[] => board.templating?.list ?? [];

export interface BoardQuery {
  readonly board: string;
  readonly panelId: number;
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
  readonly legend: string;
  readonly dashboard: Dashboard;
}

/**
 * A query that shows one series per exporter replica on purpose: on the
 * Exporter health board, about each replica's own process, its legend naming
 * the instance. Every other query collapses replicas.
 */
export const isPerReplica = (query: Pick<BoardQuery, 'board' | 'legend'>) =>
  query.board === dashboardUids.exporter && query.legend.includes('{{instance}}');

/** Every panel query of every board, in reading order. */
export function allQueries(): BoardQuery[] {
  return boards.flatMap(({ dashboard }) =>
    dataPanels(dashboard).flatMap((panel) =>
      targetsOf(panel).map((target) => ({
        board: dashboard.uid ?? '',
        panelId: panel.id ?? 0,
        panel: panel.title ?? '',
        refId: target.refId ?? '',
        expr: target.expr ?? '',
        legend: target.legendFormat ?? '',
        dashboard,
      })),
    ),
  );
}

/** Values for Grafana's built-in variables. */
export interface Builtins {
  readonly rateInterval: string;
  readonly range: string;
}

/**
 * Expands the Grafana variables of an expression the way Grafana does before
 * it sends the query: `$name`, `${name}` and `[[name]]`; multi-value variables
 * with All become their allValue (`.*`), the others their current value.
 * Unknown names (`$1` in label_replace) are left alone, as Grafana does.
 */
export function expand(expr: string, board: Dashboard, builtins: Builtins): string {
  const values = new Map<string, string>([
    ['__rate_interval', builtins.rateInterval],
    ['__range', builtins.range],
    ['__interval', builtins.rateInterval],
  ]);
  for (const variable of variablesOf(board)) {
    if (variable.type === 'datasource') continue;
    const current = variable.current?.value;
    const value = variable.multi
      ? (variable.allValue ?? '.*')
      : Array.isArray(current)
        ? (current[0] ?? '')
        : (current ?? '');
    values.set(variable.name, value);
  }
  return expr.replace(
    /\$\{(\w+)(?::\w+)?\}|\[\[(\w+)(?::\w+)?\]\]|\$(\w+)/g,
    (match, braced, bracketed, plain) => values.get(braced ?? bracketed ?? plain) ?? match,
  );
}

/** `label_values(<selector>, <label>)` of a query variable, split. */
export function labelValuesQuery(query: unknown): { selector: string; label: string } | undefined {
  const text = typeof query === 'string' ? query : (query as { query?: string })?.query;
  const match = /^label_values\((.*),\s*(\w+)\)$/.exec(text ?? '');
  return match ? { selector: match[1] as string, label: match[2] as string } : undefined;
}
