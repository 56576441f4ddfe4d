import { type Row, statPanel, statusMappings, timeSeriesPanel, units } from './common.js';
import { exporterHealthQueries as q } from './exporter-health.queries.js';

/** Green from 1 (up, succeeded, applied), red at 0. */
export const okFromOne = [
  { value: null, color: 'red' },
  { value: 1, color: 'green' },
];
export const perReplica = 'One series per exporter replica (instance).';

/** Each collector's success, data age, duration against its timeout, series, errors and rejected rows. */
export function collectorsRow(): Row {
  return {
    title: 'Collectors',
    cells: [
      statPanel({
        title: 'Collector success',
        description: `Whether the last run of each collector succeeded. FAILED for 15 minutes raises ChomCollectorFailing; the values served are then the last good ones. ${perReplica}`,
        unit: units.count,
        queries: [{ expr: q.collectorSuccess, legend: '{{collector}} {{instance}}' }],
        thresholds: okFromOne,
        mappings: statusMappings('OK', 'FAILED'),
        width: 24,
        height: 6,
      }),
      timeSeriesPanel({
        title: 'Last success age, in run intervals',
        description: `Time since each collector's last successful run, divided by its longest gap between scheduled runs: 1 is normal, above 2 the data is stale (ChomCollectorDataStale, the dashed line). ${perReplica}`,
        unit: units.multiple,
        queries: [{ expr: q.lastSuccessAgeInIntervals, legend: '{{collector}} {{instance}}' }],
        thresholds: [
          { value: null, color: 'green' },
          { value: 2, color: 'red' },
        ],
        thresholdLines: true,
        width: 12,
        height: 7,
      }),
      timeSeriesPanel({
        title: 'Last success age',
        description: `Seconds since each collector's last successful run: the age of the values it serves. ${perReplica}`,
        unit: units.seconds,
        queries: [{ expr: q.lastSuccessAge, legend: '{{collector}} {{instance}}' }],
        width: 12,
        height: 7,
      }),
      timeSeriesPanel({
        title: 'Run duration against timeout',
        description: `Duration of each collector's last run divided by its timeout (collectors.<name>.timeoutSeconds): at 1 the run was cut off and counted as an error. Orange from 0.8: the source is close to its limit. ${perReplica}`,
        unit: units.ratio,
        queries: [{ expr: q.durationOfTimeout, legend: '{{collector}} {{instance}}' }],
        thresholds: [
          { value: null, color: 'green' },
          { value: 0.8, color: 'orange' },
          { value: 1, color: 'red' },
        ],
        thresholdLines: true,
        width: 12,
        height: 7,
      }),
      timeSeriesPanel({
        title: 'Run duration',
        description: `Duration of each collector's last run, successful or not: slow queries and slow Stripe paging show here. ${perReplica}`,
        unit: units.seconds,
        queries: [{ expr: q.duration, legend: '{{collector}} {{instance}}' }],
        width: 12,
        height: 7,
      }),
      timeSeriesPanel({
        title: 'Series per collector',
        description: `Series each collector serves from its last good run: its share of the scrape and of Prometheus' cardinality. ${perReplica}`,
        unit: units.count,
        queries: [{ expr: q.series, legend: '{{collector}} {{instance}}' }],
        stacked: true,
        width: 8,
        height: 7,
      }),
      timeSeriesPanel({
        title: 'Failed runs per hour',
        description: `Failed runs (errors and timeouts) of each collector per hour. ${perReplica}`,
        unit: units.count,
        queries: [{ expr: q.errorsPerHour, legend: '{{collector}} {{instance}}' }],
        width: 8,
        height: 7,
      }),
      timeSeriesPanel({
        title: 'Rejected rows per hour by reason',
        description:
          'Source rows or samples the collectors refused per hour, by reason (null_value, not_a_number, duplicate_series, over_max_series, invalid billing data...): they are left out of the metrics and logged. Every replica reads the same rows, so this counts them once (ChomRowsRejected).',
        unit: units.count,
        queries: [{ expr: q.rejectedRowsPerHour, legend: '{{collector}}: {{reason}}' }],
        width: 8,
        height: 7,
      }),
    ],
  };
}
