/** The selected currency and channels. */
const C = 'currency="$currency"';
const CH = 'channel=~"$channel"';

const campaign = (stage: string) => `max by (campaign) (chom_email_campaign_${stage})`;
const campaignRate = (stage: string) => `${campaign(stage)} / (${campaign('sent')} > 0)`;
const allCampaigns = (stage: string) => `sum(chom_email_campaign_${stage})`;
const allCampaignsRate = (stage: string) =>
  `${allCampaigns(stage)} / (${allCampaigns('sent')} > 0)`;

/** The PromQL of the Growth & Marketing board, by what each query shows; the layout is growth-marketing.ts. */
export const growthMarketingQueries = {
  currencyValues: 'label_values(chom_marketing_spend, currency)',
  channelValues: 'label_values(chom_users_signups_total, channel)',
  signups7d: 'chom:users_signups:increase7d',
  signupGrowthWeekOverWeek: 'chom:users_signups_growth:ratio7d',
  activation7d: 'chom:funnel_activation:ratio7d',
  registeredUsers: 'chom_users',
  signupsInRange: 'sum(increase(chom_funnel_signups_total[$__range]))',
  activatedInRange: 'sum(increase(chom_users_activated_total[$__range]))',
  signupsPerHourByChannel: `sum by (channel) (rate(chom_users_signups_total{${CH}}[$__rate_interval])) * 3600`,
  signupsByChannelInRange: `sum by (channel) (increase(chom_users_signups_total{${CH}}[$__range]))`,
  spendByChannel30bd: `sum by (channel) (chom_marketing_spend{window="30bd", ${C}, ${CH}})`,
  costPerAcquisitionByChannel: `max by (channel) (channel:chom_cost_per_acquisition:ratio30d{${C}, ${CH}})`,
  marketingRoiByChannel: `max by (channel) (channel:chom_marketing_roi:ratio{${C}, ${CH}})`,
  mrrByChannel: `sum by (channel) (chom_revenue_by_channel{${C}, ${CH}})`,
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
  landingPageVisitsPerHour:
    'sum by (page) (rate(chom_landing_page_visits_total[$__rate_interval])) * 3600',
  landingPageConversion7d: 'max by (page) (page:chom_landing_page_conversion:ratio7d)',
  kFactor30d: 'chom:referrals_k_factor:ratio30d',
  referralConversionInRange:
    'sum(increase(chom_referrals_completed_total[$__range])) / (sum(increase(chom_referrals_sent_total[$__range])) > 0)',
  referralsSentPerHour: 'sum(rate(chom_referrals_sent_total[$__rate_interval])) * 3600',
  referralsCompletedPerHour: 'sum(rate(chom_referrals_completed_total[$__rate_interval])) * 3600',
  cohortRetention:
    'label_replace(label_replace(max by (cohort, month_offset) (chom_cohort_retention_ratio), "month", "M$1", "month_offset", "([0-9][0-9])"), "month", "M0$1", "month_offset", "([0-9])")',
  cohortSize: 'max by (cohort) (chom_cohort_size)',
};
