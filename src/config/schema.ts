import cron from 'node-cron';
import { z } from 'zod';
import { collectors } from '../collectors/index.js';

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), {
    message: 'expected a postgres:// or postgresql:// connection URL',
  });

const cronExpression = z.string().refine((value) => cron.validate(value), {
  message: 'expected a cron expression such as "*/5 * * * *" (with optional seconds field)',
});

/** Settings every collector has, before its own options. */
const collectorRuntimeShape = {
  enabled: z.boolean().default(true),
  schedule: cronExpression.optional(),
  timeoutSeconds: z.number().positive().max(3600).optional(),
};

const labelList = z.array(z.string().min(1).max(64)).min(1).max(100);

/** The bounded vocabularies label values are mapped onto; anything else becomes `other`. */
const labelsSchema = z
  .object({
    channels: labelList.default([
      'organic',
      'paid',
      'referral',
      'direct',
      'social',
      'email',
      'content',
    ]),
    features: labelList.default([
      'dashboards',
      'reports',
      'integrations',
      'api',
      'alerts',
      'exports',
      'team_invites',
      'automation',
    ]),
    landingPages: labelList.default([
      'home',
      'pricing',
      'features',
      'signup',
      'enterprise',
      'webinar',
    ]),
  })
  .strict();

const databaseSchema = z
  .object({
    url: postgresUrl.optional(),
    poolSize: z.number().int().min(1).max(64).default(4),
    statementTimeoutSeconds: z.number().positive().max(3600).default(30),
    connectTimeoutSeconds: z.number().positive().max(300).default(5),
  })
  .strict();

const collectorsSchema = z
  .object(
    Object.fromEntries(
      collectors.map((collector) => [
        collector.name,
        z
          .object({ ...collectorRuntimeShape, ...collector.optionsSchema.shape })
          .strict()
          .prefault({}),
      ]),
    ),
  )
  .strict();

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(9820),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z
          .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
          .default('info'),
      })
      .strict()
      .prefault({}),
    database: databaseSchema.prefault({}),
    /** The analytics-events database; when `url` is unset the app database is used. */
    events: databaseSchema.prefault({}),
    labels: labelsSchema.prefault({}),
    collectors: collectorsSchema.prefault({}),
    demo: z
      .object({
        /** Where the embedded PostgreSQL keeps its files; a temporary folder when unset. */
        dataDir: z.string().min(1).optional(),
        port: z.number().int().min(1024).max(65535).default(54329),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type LabelSets = Config['labels'];
