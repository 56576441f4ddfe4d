import { total, valueBy } from './ids.js';
import type { KpiConfig } from './kpi-config.js';
import { fromFirstScrape, type RecordingRule } from './recording-rule.js';

const mau = valueBy('', 'chom_users_active_monthly');
const organizations = 'chom:organizations:sum';
const referrals30d = 'chom:referrals_completed:sum30d';

/**
 * A growth ratio against exactly `offset` ago, from the raw samples of then
 * (not a recorded series, which an earlier rule version may have written):
 * absent until Prometheus holds them.
 */
const growth = (now: string, then: string) => `(${now} - ${then}) / (${then} > 0)`;
const history = (days: number) =>
  `nothing until Prometheus holds samples from ${days} days ago; after a gap, nothing for the ${days} days that look back into it`;
const against = (days: number) =>
  `now against the raw samples of exactly ${days} days ago (\`offset ${days}d\`)`;
const source30d = 'trailing 30 days, computed by the source';

/** Organizations, active users, referrals (the north star), leads and email: seeds 000, 002, 003. */
export function growthRules(kpi: KpiConfig): RecordingRule[] {
  const leadChannels = kpi.leadChannels.join('|');
  return [
    {
      record: organizations,
      expr: total('chom_customer_health_organizations'),
      help: 'Organizations (not deleted): the sum of the health bands, which count every organization.',
      window: 'now',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'chom:organizations_growth:ratio30d',
      expr: growth(organizations, total('chom_customer_health_organizations offset 30d')),
      help: 'Organization growth over 30 days = (organizations now - 30 days ago) / 30 days ago.',
      window: against(30),
      beforeHistory: history(30),
    },
    {
      record: 'chom:users_active_monthly_growth:ratio30d',
      expr: growth(mau, valueBy('', 'chom_users_active_monthly offset 30d')),
      help: 'Month-over-month growth of active users = (MAU now - MAU 30 days ago) / MAU 30 days ago.',
      window: against(30),
      beforeHistory: history(30),
    },
    {
      record: 'currency:chom_revenue_arpu:ratio',
      expr: `currency:chom_revenue_mrr:sum / on () group_left () (${mau} > 0)`,
      help: "ARPU (seed 003) = MRR / monthly active users, per currency: with several currencies, each currency's MRR over all active users (the parts add up; never converted).",
      window: 'MRR now; users active in the trailing 30 days',
      beforeHistory: fromFirstScrape,
    },
    {
      record: referrals30d,
      expr: total('chom_referrals_completed_in_window{window="30d"}'),
      help: 'Monthly successful referrals (seed 000 north star): referrals completed (the invitee signed up) in the last 30 days.',
      window: source30d,
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'chom:referrals_completed_growth:ratio30d',
      expr: growth(
        referrals30d,
        total('chom_referrals_completed_in_window{window="30d"} offset 30d'),
      ),
      help: 'Change of the monthly successful referrals against the 30 days before.',
      window: against(30),
      beforeHistory: history(30),
    },
    {
      record: 'chom:referrals_sent_per_active_user:ratio30d',
      expr: `${total('chom_referrals_sent_in_window{window="30d"}')} / (${mau} > 0)`,
      help: 'Referrals sent per active user (seed 002) = invitations sent in the last 30 days / users active in them.',
      window: 'trailing 30 days on both sides, computed by the source',
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'chom:users_signups_growth:ratio30d',
      expr: growth(
        total('chom_funnel_signups_in_window{window="30d"}'),
        total('chom_funnel_signups_in_window{window="30d"} offset 30d'),
      ),
      help: 'Month-over-month signup growth = (signups of the last 30 days - those of the 30 days before) / those of the 30 days before.',
      window: against(30),
      beforeHistory: history(30),
    },
    {
      record: 'chom:leads:sum30d',
      expr: total(`chom_users_signups_in_window{window="30d", channel=~"${leadChannels}"}`),
      help: `Leads (seed 000, content engine) = signups of the last 30 days from the lead channels (kpi.leadChannels: ${kpi.leadChannels.join(', ')}).`,
      window: source30d,
      beforeHistory: fromFirstScrape,
    },
    {
      record: 'chom:email_campaign_open:ratio',
      expr: `${total('chom_email_campaign_opened')} / (${total('chom_email_campaign_sent')} > 0)`,
      help: 'Email open rate over the recent campaigns together = recipients who opened / recipients sent.',
      window: 'the campaigns the email collector reports (their lifetime tallies)',
      beforeHistory: fromFirstScrape,
    },
  ];
}
