import { z } from 'zod';
import { kpiSchema } from '../kpi/kpi-config.js';
import { cronExpression } from '../shared/cron.js';
import { checkStripeBillingHasKey } from './collector-selection.js';
import type { CustomQuery } from './custom-queries.js';

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), {
    message: 'expected a postgres:// or postgresql:// connection URL',
  });

/** Settings every collector has, before its own options. */
export const collectorRuntimeShape = {
  enabled: z
    .boolean()
    .default(true)
    .describe('Run this collector. A disabled collector exports nothing.'),
  schedule: cronExpression
    .optional()
    .describe(
      'Cron expression (5 fields, or 6 with seconds); the default is listed per collector.',
    ),
  timeoutSeconds: z
    .number()
    .positive()
    .max(3600)
    .optional()
    .describe(
      'A run that takes longer is cut off and counted as an error; the last good values stay.',
    ),
};

const labelList = z.array(z.string().min(1).max(64)).min(1).max(100);

const defaultChannels = ['organic', 'paid', 'referral', 'direct', 'social', 'email', 'content'];
const defaultFeatures = [
  'dashboards',
  'reports',
  'integrations',
  'api',
  'alerts',
  'exports',
  'team_invites',
  'automation',
];
const defaultPages = ['home', 'pricing', 'features', 'signup', 'enterprise', 'webinar'];

/** The bounded vocabularies label values are mapped onto; anything else becomes `other`. */
const labelsSchema = z
  .object({
    channels: labelList
      .default(defaultChannels)
      .describe('Values of the `channel` label; any other source value is exported as `other`.'),
    features: labelList
      .default(defaultFeatures)
      .describe(
        'Values of the `feature` label (anything else is `other`); their count is the breadth denominator.',
      ),
    landingPages: labelList
      .default(defaultPages)
      .describe('Values of the `page` label (landing page slugs); anything else is `other`.'),
  })
  .strict();

const databaseSchema = z
  .object({
    url: postgresUrl
      .optional()
      .describe(
        'Connection URL. Prefer the environment (`*_URL` or `*_URL_FILE`) for anything with a password.',
      ),
    poolSize: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe('Connections at most; also how many collectors query at once.'),
    statementTimeoutSeconds: z
      .number()
      .positive()
      .max(3600)
      .default(30)
      .describe('Server-side statement_timeout for every query.'),
    connectTimeoutSeconds: z
      .number()
      .positive()
      .max(300)
      .default(5)
      .describe('How long to wait for a new connection.'),
  })
  .strict();

/**
 * The `collectors` section as config sees it: settings keyed by collector
 * name, plus `only`. Each collector's own options are its registry's business
 * (collectors/settings-schema.ts), so config imports no collector.
 */
export type CollectorsSettings = { readonly only?: readonly string[] } & Record<string, unknown>;

/**
 * The whole configuration schema from its sections, given the two parts that
 * depend on the collectors: their settings (`collectors`) and the custom
 * queries (which must not reuse a built-in metric name). Assembled once, in
 * app/config.ts.
 */
export function configSchemaWith<
  C extends z.ZodType<CollectorsSettings>,
  Q extends z.ZodType<Record<string, CustomQuery>>,
>(parts: { readonly collectors: C; readonly custom: Q }) {
  return z

    .object({
      server: z
        .object({
          host: z.string().min(1).default('0.0.0.0').describe('Address to listen on (CHOM_HOST).'),
          port: z
            .number()
            .int()
            .min(0)
            .max(65535)
            .default(9820)
            .describe('Port to listen on (CHOM_PORT).'),
          tls: z
            .object({
              certFile: z.string().min(1).describe('PEM certificate (chain) file.'),
              keyFile: z.string().min(1).describe('PEM private key file.'),
            })
            .strict()
            .optional()
            .describe('Serve HTTPS only, with this certificate.'),
          auth: z
            .object({
              basic: z
                .object({
                  username: z.string().min(1),
                  passwordHash: z
                    .string()
                    .regex(
                      /^\$2[aby]\$\d{2}\$.{53}$/,
                      'expected a bcrypt hash ($2y$10$...), e.g. from htpasswd -nbBC 10',
                    )
                    .describe(
                      'bcrypt hash of the password, as in the Prometheus exporter toolkit web config.',
                    ),
                })
                .strict()
                .optional()
                .describe('HTTP basic authentication.'),
              bearerToken: z
                .string()
                .min(16)
                .optional()
                .describe(
                  'A bearer token clients may send instead (CHOM_METRICS_BEARER_TOKEN or its _FILE).',
                ),
            })
            .strict()
            .optional()
            .describe('Require credentials on every path but /healthz and /readyz.'),
        })
        .strict()
        .prefault({})
        .describe('The HTTP server.'),
      log: z
        .object({
          level: z
            .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
            .default('info')
            .describe('Log level (CHOM_LOG_LEVEL). Logs are JSON lines on stdout.'),
        })
        .strict()
        .prefault({})
        .describe('Logging.'),
      database: databaseSchema
        .prefault({})
        .describe(
          'The app database (CHOM_DATABASE_URL). Without a URL the exporter runs in demo mode, unless no enabled collector reads it (collectors.only, enabled, billing_mrr.source: stripe).',
        ),
      events: databaseSchema
        .prefault({})
        .describe(
          'The analytics-events database (CHOM_EVENTS_DATABASE_URL); the app database when unset.',
        ),
      stateDatabase: z
        .object({
          url: postgresUrl
            .optional()
            .describe(
              'A database the exporter may write to (its own schema chom_exporter), e.g. CHOM_STATE_DATABASE_URL.',
            ),
        })
        .strict()
        .prefault({})
        .describe(
          "Where billing records each month's opening MRR, so movements survive restarts and agree across replicas. Unset: openings are reconstructed and flagged (the demo database in demo mode).",
        ),
      stripe: z
        .object({
          apiKey: z
            .string()
            .regex(
              /^(sk|rk)_(test|live)_[A-Za-z0-9]+$/,
              'expected a Stripe secret or restricted key (sk_… or rk_…)',
            )
            .optional()
            .describe(
              'A restricted read-only key (CHOM_STRIPE_API_KEY or CHOM_STRIPE_API_KEY_FILE); see README.',
            ),
          host: z
            .string()
            .min(1)
            .optional()
            .describe('API host, for a proxy or a local Stripe-compatible server.'),
          port: z.number().int().min(1).max(65535).optional().describe('API port.'),
          protocol: z
            .enum(['https', 'http'])
            .optional()
            .describe('API protocol (http only for local test servers).'),
          maxRequestsPerSecond: z
            .number()
            .positive()
            .max(100)
            .default(20)
            .describe("Client-side throttle, below Stripe's read limits (100/s live, 25/s test)."),
          timeoutSeconds: z
            .number()
            .positive()
            .max(300)
            .default(30)
            .describe('Per-request timeout.'),
          channelMetadataKey: z
            .string()
            .min(1)
            .default('channel')
            .describe(
              'Customer metadata key holding the acquisition channel (revenue by channel).',
            ),
          maxRetries: z
            .number()
            .int()
            .min(0)
            .max(10)
            .default(4)
            .describe(
              'Retries of a page after a 429 (honouring Retry-After), a 5xx or a network error.',
            ),
          fullSyncIntervalSeconds: z
            .number()
            .int()
            .min(0)
            .max(604_800)
            .refine((seconds) => seconds === 0 || seconds >= 60, 'expected 0 or at least 60')
            .default(3600)
            .describe(
              'Seconds between full syncs (every object listed). Rounds in between read only the events since the last round and fetch again the objects they name (the key needs Events: Read). 0: every round is a full sync.',
            ),
          webhookSecret: z
            .string()
            .regex(/^whsec_[A-Za-z0-9+/=_-]+$/, 'expected a webhook signing secret (whsec_…)')
            .optional()
            .describe(
              'Signing secret of a Stripe webhook endpoint (CHOM_STRIPE_WEBHOOK_SECRET or CHOM_STRIPE_WEBHOOK_SECRET_FILE). Set: POST /webhooks/stripe takes signed events and refreshes billing within seconds. Unset: the route does not exist.',
            ),
          webhookToleranceSeconds: z
            .number()
            .int()
            .min(1)
            .max(3600)
            .default(300)
            .describe(
              "Oldest signature timestamp a webhook may carry, against replays (Stripe's default is 300).",
            ),
        })
        .strict()
        .superRefine((stripe, context) => {
          // Webhooks only say what to read again; without a key nothing can be read.
          if (stripe.webhookSecret && !stripe.apiKey) {
            context.addIssue({
              code: 'custom',
              path: ['webhookSecret'],
              message:
                'needs stripe.apiKey (CHOM_STRIPE_API_KEY): webhooks refresh what the key reads',
            });
          }
        })
        .prefault({})
        .describe('Stripe, read with the official SDK.'),
      labels: labelsSchema.prefault({}).describe('Bounded label vocabularies.'),
      kpi: kpiSchema
        .prefault({})
        .describe(
          'Targets and alert thresholds; the alert rules and dashboards are generated from them.',
        ),
      collectors: parts.collectors
        .prefault({} as z.input<C>)
        .describe('Per-collector settings, keyed by collector name.'),
      custom: parts.custom,
      demo: z
        .object({
          dataDir: z
            .string()
            .min(1)
            .optional()
            .describe(
              'Folder for the embedded demo PostgreSQL; a temporary folder, removed on exit, when unset.',
            ),
          port: z
            .number()
            .int()
            .min(1024)
            .max(65535)
            .optional()
            .describe('Loopback port of the embedded demo PostgreSQL; a free port when unset.'),
        })
        .strict()
        .prefault({})
        .describe(
          'Demo mode: started when no database URL is configured and an enabled collector reads the app database.',
        ),
    })
    .strict()
    .superRefine(checkStripeBillingHasKey);
}

/**
 * The configuration as the layers below the assembly read it (engine,
 * billing, HTTP): every section, with collector settings left opaque.
 * app/config.ts has the fully typed `Config`, which is assignable to this.
 */
export type BaseConfig = z.infer<
  ReturnType<
    typeof configSchemaWith<z.ZodType<CollectorsSettings>, z.ZodType<Record<string, CustomQuery>>>
  >
>;
export type LabelSets = z.infer<typeof labelsSchema>;
export type StripeConfig = BaseConfig['stripe'];
export type ServerConfig = BaseConfig['server'];
