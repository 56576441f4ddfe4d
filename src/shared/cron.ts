import cron from 'node-cron';
import { z } from 'zod';

/** A node-cron expression: 5 fields, or 6 with seconds first. */
export const cronExpression = z.string().refine((value) => cron.validate(value), {
  message: 'expected a cron expression such as "*/5 * * * *" (with optional seconds field)',
});
