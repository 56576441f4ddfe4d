import { z } from 'zod';
/**
 * `collectors.only`: the built-in collectors to run, so that a company with
 * one source (Stripe and nothing else) names what it has instead of disabling
 * everything it has not. Names are checked, with the list of valid ones
 * (`builtInNames`, from the collector registry).
 */
export const onlySchema = (builtInNames: readonly [string, ...string[]]) =>
  z
    .array(
      z.enum(builtInNames, {
        error: (issue) =>
          `unknown collector "${String(issue.input)}"; the collectors are ${builtInNames.join(', ')}`,
      }),
    )
    .superRefine((names, context) => {
      names.forEach((name, index) => {
        if (names.indexOf(name) !== index) {
          context.addIssue({ code: 'custom', path: [index], message: `"${name}" is listed twice` });
        }
      });
    })
    .optional()
    .describe(
      'Run only these built-in collectors (each still needs enabled: true, the default); unset: all of them. custom.<name> queries run whatever this says. A collector left out needs nothing: with only: [billing_mrr] and billing_mrr.source: stripe, no database is read and no demo database starts.',
    );

/** Whether the built-in collector `name` runs under these `collectors` settings. */
export function isSelected(
  settings: { readonly only?: readonly string[] } & Record<string, unknown>,
  name: string,
): boolean {
  const own = settings[name] as { enabled?: boolean } | undefined;
  if (own?.enabled === false) return false;
  return settings.only === undefined || settings.only.includes(name);
}

/**
 * Billing from Stripe without a key could only fail at every run: refused
 * when the configuration is read, like any other bad value.
 */
export function checkStripeBillingHasKey(
  config: {
    readonly collectors: { readonly only?: readonly string[] } & Record<string, unknown>;
    readonly stripe: { readonly apiKey?: string };
  },
  context: z.RefinementCtx,
): void {
  const billing = config.collectors.billing_mrr as { source?: string } | undefined;
  if (billing?.source !== 'stripe' || config.stripe.apiKey) return;
  if (!isSelected(config.collectors, 'billing_mrr')) return;
  context.addIssue({
    code: 'custom',
    path: ['collectors', 'billing_mrr', 'source'],
    message:
      '"stripe" needs a Stripe API key: stripe.apiKey, CHOM_STRIPE_API_KEY or CHOM_STRIPE_API_KEY_FILE',
  });
}
