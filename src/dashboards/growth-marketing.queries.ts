import { oneReplica, sumBy, total, valueBy } from '../kpi/ids.js';

/** The selected currency and channels. */
const C = 'currency="$currency"';
const CH = 'channel=~"$channel"';

const campaign = (stage: string) => valueBy('campaign', `chom_email_campaign_${stage}`);
const campaignRate = (stage: string) => `${campaign(stage)} / (${campaign('sent')} > 0)`;
const allCampaigns = (stage: string) => total(`chom_email_campaign_${stage}`);
const allCampaignsRate = (stage: string) =>
  `${allCampaigns(stage)} / (${allCampaigns('sent')} > 0)`;
/** Events per hour from a counter, replicas collapsed before the sum. */
const perHour = (by: string, counter: string) =>
  `${by ? `sum by (${by})` : 'sum'} (${oneReplica(`rate(${counter}[$__rate_interval])`)}) * 3600`;
const inWindow30d = (metric: string) => total(`${metric}{window="30d"}`);

/**
 * The PromQL of the Growth & Marketing board, by what each query shows; the
 * layout is growth-marketing.ts. Counts over 7 or 30 days come from gauges the
 * exporter computes over the true window, never from increase() over however
 * much history Prometheus holds.
 */
export const growthMarketingQueries = {
  // Currencies with spend or with revenue by channel: EUR revenue is selectable without EUR spend.
  currencyValues:
    'label_values({__name__=~"chom_marketing_spend|chom_revenue_by_channel"}, currency)',
  channelValues: 'label_values(chom_users_signups_total, channel)',
  signups7d: 'chom:users_signups:increase7d',
  signupGrowthWeekOverWeek: 'chom:users_signups_growth:ratio7d',
  activation7d: 'chom:funnel_activation:ratio7d',
  registeredUsers: valueBy('', 'chom_users'),
  signups30d: inWindow30d('chom_funnel_signups_in_window'),
  activated30d: inWindow30d('chom_funnel_activated_in_window'),
  signupsPerHourByChannel: perHour('channel', `chom_users_signups_total{${CH}}`),
  signupsPerHour: perHour('', 'chom_users_signups_total'),
  activationsPerHour: perHour('', 'chom_users_activated_total'),
  signupsByChannel30d: sumBy('channel', `chom_users_signups_in_window{window="30d", ${CH}}`),
  spendByChannel30d: `max by (channel) (channel:chom_marketing_spend:sum30d{${C}, ${CH}})`,
  costPerAcquisitionByChannel: `max by (channel) (channel:chom_cost_per_acquisition:ratio30d{${C}, ${CH}})`,
  marketingEfficiencyByChannel: `max by (channel) (channel:chom_marketing_efficiency:ratio30d{${C}, ${CH}})`,
  marketingRoiByChannel: `max by (channel) (channel:chom_marketing_roi:ratio{${C}, ${CH}})`,
  mrrByChannel: sumBy('channel', `chom_revenue_by_channel{${C}, ${CH}}`),
  campaignSent: campaign('sent'),
  campaignOpened: campaign('opened'),
  campaignClicked: campaign('clicked'),
  campaignConverted: campaign('converted'),
  campaignOpenRate: campaignRate('opened'),
  campaignClickRate: campaignRate('clicked'),
  campaignConversionRate: campaignRate('converted'),
  allCampaignsOpenRate: allCampaignsRate('opened'),
  allCampaignsClickRate: allCampaignsRate('clicked'),
  allCampaignsConversionRate: allCampaignsRate('converted'),
  landingPageVisitsPerHour: perHour('page', 'chom_landing_page_visits_total'),
  landingPageConversionsPerHour: perHour('page', 'chom_landing_page_conversions_total'),
  landingPageConversion7d: 'max by (page) (page:chom_landing_page_conversion:ratio7d)',
  kFactor30d: 'chom:referrals_k_factor:ratio30d',
  referralConversion30d: `${inWindow30d('chom_referrals_completed_in_window')} / (${inWindow30d('chom_referrals_sent_in_window')} > 0)`,
  referralsSentPerHour: perHour('', 'chom_referrals_sent_total'),
  referralsCompletedPerHour: perHour('', 'chom_referrals_completed_total'),
  cohortRetention:
    'label_replace(label_replace(max by (cohort, month_offset) (chom_cohort_retention_ratio), "month", "M$1", "month_offset", "([0-9][0-9])"), "month", "M0$1", "month_offset", "([0-9])")',
  cohortSize: valueBy('cohort', 'chom_cohort_size'),
  // Seeds 000, 002 and 004: trials, leads, the funnel week over week, referrals per user.
  trialSignups7d: 'chom:funnel_trial_started:sum7d',
  signupGrowthMonthOverMonth: 'chom:users_signups_growth:ratio30d',
  leads30d: 'chom:leads:sum30d',
  funnelStages7d: 'stage:chom_funnel:sum7d',
  funnelStageChange7d: 'stage:chom_funnel_change:ratio7d',
  referralsSentPerActiveUser: 'chom:referrals_sent_per_active_user:ratio30d',
  referralsPerActiveUserGoal: valueBy('', 'chom_kpi_target_ratio{kpi="referrals_per_active_user"}'),
};
