import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as piechart from '@grafana/grafana-foundation-sdk/piechart';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import {
  type DashboardKey,
  dashboardTitles,
  dashboardUids,
  datasourceName,
  datasourceUid,
} from '../kpi/ids.js';
import { neutral, type Step } from './thresholds.js';

/** Every panel and query reads the datasource chosen in the `datasource` variable. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template.
export const datasourceRef = { type: 'prometheus', uid: '${datasource}' } as const;

/**
 * Units used by the boards (ids from Grafana's unit registry). Money is shown
 * without a symbol: amounts are per currency, and the currency is in the title
 * (`$currency`) and the legend (`{{currency}}`).
 */
export const units = {
  money: 'short',
  count: 'short',
  ratio: 'percentunit',
  seconds: 's',
  score: 'none',
  multiple: 'none',
} as const;
export type Unit = (typeof units)[keyof typeof units];

export interface Query {
  readonly expr: string;
  /** Legend (and display name): `{{label}}` for label values. */
  readonly legend: string;
  /** Evaluated once at the end of the range: bar gauges, pies, tables, totals over `$__range`. */
  readonly instant?: boolean;
  /** Table format (one row per series, labels as columns). */
  readonly table?: boolean;
}

interface PanelOptions {
  readonly title: string;
  /** What it is and how to read it, for a business reader. */
  readonly description: string;
  readonly unit: Unit;
  readonly queries: readonly Query[];
  readonly width: number;
  readonly height: number;
  readonly thresholds?: readonly Step[];
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
  /** Field overrides, e.g. thresholds per query or colours per series. */
  readonly overrides?: readonly Override[];
  /** Grafana transformations, e.g. thresholds read from a query (configFromData). */
  readonly transformations?: readonly dashboard.DataTransformerConfig[];
  /** Values shown as words (1 as "OK"), e.g. for 0/1 status gauges. */
  readonly mappings?: readonly dashboard.ValueMapping[];
}

export interface Override {
  readonly matcher: { id: 'byName' | 'byRegexp' | 'byFrameRefID' | 'byType'; options: string };
  readonly properties: dashboard.DynamicConfigValue[];
}

type AnyPanelBuilder =
  | stat.PanelBuilder
  | timeseries.PanelBuilder
  | gauge.PanelBuilder
  | bargauge.PanelBuilder
  | table.PanelBuilder
  | piechart.PanelBuilder;

/** A panel with its size; the board places it and numbers it. */
export interface Cell {
  readonly width: number;
  readonly height: number;
  readonly builder: AnyPanelBuilder;
}

export const refId = (index: number) => String.fromCharCode(65 + index);

function targets(queries: readonly Query[]): prometheus.DataqueryBuilder[] {
  return queries.map((query, index) => {
    const target = new prometheus.DataqueryBuilder()
      .refId(refId(index))
      .datasource(datasourceRef)
      .expr(query.expr)
      .legendFormat(query.legend);
    if (query.instant) target.instant();
    else target.range();
    if (query.table) target.format(prometheus.PromQueryFormat.Table);
    return target;
  });
}

export const thresholdsConfig = (steps: readonly Step[]) =>
  new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([...steps]);

/** What every panel kind shares: title, description, datasource, unit, thresholds, queries. */
function configure<B extends AnyPanelBuilder>(
  builder: B,
  options: PanelOptions,
  unjudged: readonly Step[] = neutral,
): Cell {
  builder
    .title(options.title)
    .description(options.description)
    .datasource(datasourceRef)
    .unit(options.unit)
    .thresholds(thresholdsConfig(options.thresholds ?? unjudged))
    .targets(targets(options.queries));
  if (options.min !== undefined) builder.min(options.min);
  if (options.max !== undefined) builder.max(options.max);
  if (options.decimals !== undefined) builder.decimals(options.decimals);
  for (const override of options.overrides ?? []) {
    builder.withOverride({ matcher: override.matcher, properties: override.properties });
  }
  if (options.transformations) builder.transformations([...options.transformations]);
  if (options.mappings) builder.mappings([...options.mappings]);
  return { width: options.width, height: options.height, builder };
}

const lastNotNull = () =>
  new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);

/**
 * A value as of now: evaluated once at the end of the range (an instant
 * query), so a series that has disappeared shows nothing rather than its last
 * value of days ago, which a range query reduced with lastNotNull would show.
 */
const now = (options: PanelOptions): PanelOptions => ({
  ...options,
  queries: options.queries.map((query) => ({ ...query, instant: true })),
});

/** A big number as of now, coloured by its thresholds (trends have their own time series panels). */
export function statPanel(options: PanelOptions & { textMode?: common.BigValueTextMode }): Cell {
  const builder = new stat.PanelBuilder()
    .reduceOptions(lastNotNull())
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(options.textMode ?? common.BigValueTextMode.Auto)
    .justifyMode(common.BigValueJustifyMode.Auto)
    .orientation(common.VizOrientation.Auto);
  return configure(builder, now(options));
}

/** A dial between min and max with the thresholds marked, as of now. */
export function gaugePanel(options: PanelOptions & { min: number; max: number }): Cell {
  const builder = new gauge.PanelBuilder()
    .reduceOptions(lastNotNull())
    .showThresholdMarkers(true)
    .showThresholdLabels(false);
  return configure(builder, now(options));
}

/** Horizontal bars, one per series, for comparing categories (tiers, channels, priorities). */
export function barGaugePanel(options: PanelOptions): Cell {
  const builder = new bargauge.PanelBuilder()
    .reduceOptions(lastNotNull())
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .valueMode(common.BarGaugeValueMode.Color)
    .showUnfilled(true);
  // Bars without a judgement are blue rather than in the text colour.
  return configure(builder, options, [{ value: null, color: 'blue' }]);
}

/** A donut of shares (health bands, channel mix). */
export function pieChartPanel(options: PanelOptions): Cell {
  const builder = new piechart.PanelBuilder()
    .reduceOptions(lastNotNull())
    .pieType(piechart.PieChartType.Donut)
    .displayLabels([piechart.PieChartLabels.Percent])
    .legend(
      new piechart.PieChartLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Right)
        .values([piechart.PieChartLegendValues.Value, piechart.PieChartLegendValues.Percent]),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Single));
  return configure(builder, options);
}

/** Lines over time; `stacked` for parts of a whole, `targetLine` draws the thresholds as dashed lines. */
export function timeSeriesPanel(
  options: PanelOptions & { stacked?: boolean; thresholdLines?: boolean },
): Cell {
  const builder = new timeseries.PanelBuilder()
    .colorScheme(new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.PaletteClassic))
    .lineWidth(2)
    .fillOpacity(options.stacked ? 30 : 10)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(true)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder()
        .mode(common.TooltipDisplayMode.Multi)
        .sort(common.SortOrder.Descending),
    );
  if (options.stacked) {
    builder.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  }
  if (options.thresholdLines) {
    builder.thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
    );
  }
  return configure(builder, options);
}

/** A table of instant, table-format queries reshaped by Grafana transformations. */
export function tablePanel(
  options: PanelOptions & {
    transformations: readonly dashboard.DataTransformerConfig[];
    cellOptions?: common.TableCellOptions;
    colorScheme?: dashboard.FieldColorModeId;
  },
): Cell {
  const builder = new table.PanelBuilder()
    .cellHeight(common.TableCellHeight.Sm)
    .showHeader(true)
    .transformations([...options.transformations]);
  if (options.cellOptions) builder.cellOptions(options.cellOptions);
  if (options.colorScheme) {
    builder.colorScheme(new dashboard.FieldColorBuilder().mode(options.colorScheme));
  }
  return configure(builder, options);
}

/**
 * A threshold step read from another query of the panel (Grafana's "Config
 * from query results"): the value is coloured `color` from the value of the
 * query `refId` (whose legend is `legend`) up. That query only configures.
 */
export const thresholdFromQuery = (
  refId: string,
  legend: string,
  color: string,
): dashboard.DataTransformerConfig => ({
  id: 'configFromData',
  options: {
    configRefId: refId,
    mappings: [
      { fieldName: legend, handlerKey: 'threshold1', handlerArguments: { threshold: { color } } },
    ],
  },
});

/** A 0/1 status shown as words: 1 `ok` in green, 0 `failed` in red. */
export const statusMappings = (ok: string, failed: string): dashboard.ValueMapping[] => [
  {
    type: dashboard.MappingType.ValueToText,
    options: {
      '1': { text: ok, color: 'green', index: 0 },
      '0': { text: failed, color: 'red', index: 1 },
    },
  },
];

/** Field-override helpers. */
export const override = {
  byName: (name: string, properties: dashboard.DynamicConfigValue[]): Override => ({
    matcher: { id: 'byName', options: name },
    properties,
  }),
  byRegexp: (pattern: string, properties: dashboard.DynamicConfigValue[]): Override => ({
    matcher: { id: 'byRegexp', options: pattern },
    properties,
  }),
  byQuery: (ref: string, properties: dashboard.DynamicConfigValue[]): Override => ({
    matcher: { id: 'byFrameRefID', options: ref },
    properties,
  }),
  byType: (type: string, properties: dashboard.DynamicConfigValue[]): Override => ({
    matcher: { id: 'byType', options: type },
    properties,
  }),
};

export const fixedColor = (color: string): dashboard.DynamicConfigValue => ({
  id: 'color',
  value: { mode: 'fixed', fixedColor: color },
});
export const thresholdsProperty = (steps: readonly Step[]): dashboard.DynamicConfigValue => ({
  id: 'thresholds',
  value: { mode: 'absolute', steps: [...steps] },
});
export const unitProperty = (unit: Unit): dashboard.DynamicConfigValue => ({
  id: 'unit',
  value: unit,
});
export const displayName = (name: string): dashboard.DynamicConfigValue => ({
  id: 'displayName',
  value: name,
});

/** The `datasource` variable: Prometheus datasources, defaulting to the provisioned one. */
export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource')
    .label('Data source')
    .type('prometheus')
    .current({ selected: true, text: datasourceName, value: datasourceUid });
}

/** A single-valued label variable (e.g. currency), defaulting to `current`. */
export function labelVariable(options: {
  name: string;
  label: string;
  description: string;
  query: string;
  current: string;
}): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(options.name)
    .label(options.label)
    .description(options.description)
    .datasource(datasourceRef)
    .query(options.query)
    .definition(options.query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .current({ selected: true, text: options.current, value: options.current });
}

/** A multi-valued label filter with All (`.*`); queries use it as `label=~"$name"`. */
export function filterVariable(options: {
  name: string;
  label: string;
  description: string;
  query: string;
}): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(options.name)
    .label(options.label)
    .description(options.description)
    .datasource(datasourceRef)
    .query(options.query)
    .definition(options.query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}

export interface Row {
  readonly title: string;
  readonly cells: readonly Cell[];
}

export interface BoardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly timeFrom: string;
  readonly variables: readonly dashboard.QueryVariableBuilder[];
  readonly rows: readonly Row[];
}

/** Links to the other boards, keeping the time range and the shared variables. */
function boardLinks(uid: string): dashboard.DashboardLinkBuilder[] {
  return (Object.keys(dashboardUids) as DashboardKey[])
    .filter((key) => dashboardUids[key] !== uid)
    .map((key) =>
      new dashboard.DashboardLinkBuilder(dashboardTitles[key])
        .type(dashboard.DashboardLinkType.Link)
        .url(`/d/${dashboardUids[key]}`)
        .icon('dashboard')
        .tooltip(`Open ${dashboardTitles[key]}`)
        .includeVars(true)
        .keepTime(true)
        .asDropdown(false)
        .targetBlank(false),
    );
}

export const titleOf = (key: DashboardKey) => dashboardTitles[key];

const gridWidth = 24;

/**
 * Builds the classic dashboard model: rows laid out top to bottom, cells left
 * to right wrapping at 24 columns, panel ids numbered from 1 in reading order.
 */
export function buildBoard(spec: BoardSpec): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...spec.tags])
    .readonly()
    // Month boundaries (this month's churn, movements, targets) are UTC.
    .timezone('utc')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: spec.timeFrom, to: 'now' })
    .refresh('5m')
    .links(boardLinks(spec.uid))
    .withVariable(datasourceVariable());
  for (const variable of spec.variables) builder.withVariable(variable);

  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    builder.withRow(
      new dashboard.RowBuilder(row.title).id(id++).gridPos({ x: 0, y, w: gridWidth, h: 1 }),
    );
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const cell of row.cells) {
      if (cell.width > gridWidth) throw new Error(`${row.title}: a cell is wider than the grid`);
      if (x + cell.width > gridWidth) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      cell.builder.id(id++).gridPos({ x, y, w: cell.width, h: cell.height });
      builder.withPanel(cell.builder);
      x += cell.width;
      lineHeight = Math.max(lineHeight, cell.height);
    }
    y += lineHeight;
  }
  const board = builder.build();
  // The SDK defaults links to `placement: inControlsMenu`, which Grafana 12 folds into the
  // controls dropdown; without it the links to the other boards show in the top bar.
  for (const link of board.links ?? []) delete link.placement;
  return board;
}

/** The JSON written for file provisioning: the classic model, stable key order from the builder. */
export const boardJson = (board: dashboard.Dashboard) => `${JSON.stringify(board, null, 2)}\n`;
