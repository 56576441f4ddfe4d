import { total } from './ids.js';
import { fromFirstScrape, type RecordingRule } from './recording-rule.js';

/**
 * The funnel of seed 000 (Visit → Signup → Activate → Pay, with the trial
 * between), each stage counted by the source over the trailing 7 days.
 */
export const funnelStages = [
  { stage: 'visit', gauge: 'chom_landing_page_visits_in_window' },
  { stage: 'signup', gauge: 'chom_funnel_signups_in_window' },
  { stage: 'activation', gauge: 'chom_funnel_activated_in_window' },
  { stage: 'trial', gauge: 'chom_funnel_trial_started_in_window' },
  { stage: 'paid', gauge: 'chom_funnel_paid_in_window' },
] as const;

/** One series per stage, labelled `stage`, from a count per stage. */
const perStage = (count: (gauge: string) => string) =>
  funnelStages
    .map(({ stage, gauge }) => `label_replace(${count(gauge)}, "stage", "${stage}", "", "")`)
    .join(' or ');

const now = 'stage:chom_funnel:sum7d';
const before = 'stage:chom_funnel_previous:sum7d';

/** Each funnel stage's week against the week before: seed 000's "drop > 40% at any stage". */
export function funnelStageRules(): RecordingRule[] {
  return [
    {
      record: 'chom:funnel_trial_started:sum7d',
      expr: total('chom_funnel_trial_started_in_window{window="7d"}'),
      help: 'Trials started in the last 7 days (seed 004 "weekly trial signups").',
      window: 'trailing 7 days, computed by the source',
      beforeHistory: fromFirstScrape,
    },
    {
      record: now,
      expr: perStage((gauge) => total(`${gauge}{window="7d"}`)),
      help: 'Users reaching each funnel stage (visit, signup, activation, trial, paid) in the last 7 days; visits are landing page visits of every page.',
      window: 'trailing 7 days, computed by the source',
      beforeHistory: fromFirstScrape,
    },
    {
      record: before,
      expr: perStage((gauge) => total(`${gauge}{window="7d"} offset 7d`)),
      help: 'The same counts for the 7 days before the last 7 (the 7-day gauges of a week ago).',
      window: 'the trailing 7 days as of exactly 7 days ago (`offset 7d` of the raw gauges)',
      beforeHistory:
        'nothing until Prometheus holds samples from 7 days ago; after a gap, nothing for the 7 days that look back into it',
    },
    {
      record: 'stage:chom_funnel_change:ratio7d',
      expr: `(${now} - ${before}) / (${before} > 0)`,
      help: 'Change of each funnel stage, week over week = (last 7 days - the 7 days before) / the 7 days before (-0.4 = 40% fewer).',
      window: 'trailing 7 days now against the 7 days before',
      beforeHistory:
        'nothing until Prometheus holds samples from 7 days ago; after a gap, nothing for the 7 days that look back into it',
    },
  ];
}
