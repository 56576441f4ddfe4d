import { sumBy, total, valueBy } from './ids.js';
import { fromFirstScrape, type RecordingRule } from './recording-rule.js';

/** A funnel stage counted by the source over the trailing window. */
const stage = (name: string, window: '7d' | '30d') =>
  total(`chom_funnel_${name}_in_window{window="${window}"}`);
const signups7d = 'chom:users_signups:increase7d';
/** Raw samples of a week ago, not the recorded series: earlier definitions of the rule never enter. */
const signups7dWeekAgo = total('chom_funnel_signups_in_window{window="7d"} offset 7d');
const bySource = (days: number) =>
  `trailing ${days} days on both sides, computed by the source from its events`;
const mau = valueBy('', 'chom_users_active_monthly');

/** Funnel, signups, virality, landing pages, engagement and support load. */
export function funnelRules(): RecordingRule[] {
  return [
    {
      record: 'chom:funnel_activation:ratio7d',
      expr: `${stage('activated', '7d')} / (${stage('signups', '7d')} > 0)`,
      help: 'Activation rate = users who activated in the last 7 days / users who signed up in them.',
      window: bySource(7),
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'chom:funnel_activation:ratio30d',
      expr: `${stage('activated', '30d')} / (${stage('signups', '30d')} > 0)`,
      help: 'Activation rate = activations in the last 30 days / signups in them.',
      window: bySource(30),
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'chom:funnel_trial_start:ratio30d',
      expr: `${stage('trial_started', '30d')} / (${stage('activated', '30d')} > 0)`,
      help: 'Trial start rate = trials started in the last 30 days / activations in them.',
      window: bySource(30),
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'chom:funnel_paid:increase30d',
      expr: stage('paid', '30d'),
      help: 'Conversions to a paid plan in the last 30 days.',
      window: bySource(30),
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'chom:funnel_trial_to_paid:ratio30d',
      expr: `chom:funnel_paid:increase30d / (${stage('trial_started', '30d')} > 0)`,
      help: 'Trial-to-paid = conversions to paid in the last 30 days / trials started in them (same window, as Baremetrics).',
      window: bySource(30),
      beforeHistory: fromFirstScrape,
    },
    {
      record: signups7d,
      expr: stage('signups', '7d'),
      help: 'Signups in the last 7 days.',
      window: 'trailing 7 days, computed by the source',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'chom:users_signups_growth:ratio7d',
      expr: `(${signups7d} - ${signups7dWeekAgo}) / (${signups7dWeekAgo} > 0)`,
      help: 'Week-over-week signup growth = (signups of the last 7 days - those of the 7 days before) / those of the 7 days before.',
      window: 'trailing 7 days now against the raw samples of exactly 7 days ago (`offset 7d`)',
      beforeHistory:
        'nothing until Prometheus holds samples from 7 days ago; after a gap, nothing for the 7 days that look back into it',
    },
    {
      record: 'chom:referrals_k_factor:ratio30d',
      expr: `${total('chom_referrals_completed_in_window{window="30d"}')} / (${mau} > 0)`,
      help: 'K-factor = invitations per active user x invitation conversion = referrals completed in the last 30 days / users active in them.',
      window: bySource(30),
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'page:chom_landing_page_visits:sum7d',
      expr: sumBy('page', 'chom_landing_page_visits_in_window{window="7d"}'),
      help: 'Landing page visits in the last 7 days, by page.',
      window: 'trailing 7 days, computed by the source',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'page:chom_landing_page_conversion:ratio7d',
      expr: `${sumBy('page', 'chom_landing_page_conversions_in_window{window="7d"}')} / (page:chom_landing_page_visits:sum7d > 0)`,
      help: 'Landing page conversion = conversions / visits in the last 7 days, by page.',
      window: bySource(7),
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'chom:users_dau_mau:ratio',
      expr: `${valueBy('', 'chom_users_active_daily')} / (${mau} > 0)`,
      help: 'DAU/MAU stickiness = users active in the trailing 24 hours / users active in the trailing 30 days.',
      window: 'trailing 24 hours and 30 days, computed by the source',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'chom:support_tickets_per_customer:ratio30d',
      expr: `${total('chom_support_tickets_created_in_window{window="30d"}')} / (${valueBy('', 'chom_customers')} > 0)`,
      help: 'Support load = tickets created in the last 30 days / paying customers now.',
      window: 'tickets: trailing 30 days, computed by the source; customers: now',
      beforeHistory: fromFirstScrape,
    },
  ];
}
