import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, invoice, price, product, subscription } from '../fixtures/stripe-objects.js';
import { FakeStripe } from '../helpers/fake-stripe.js';

/**
 * The fake is only worth its tests if it behaves like Stripe where the source
 * relies on it; the SDK's own paginator and error classes are the judge.
 */
const apiKey = 'sk_test_FakeCheck1';
const customers = Array.from({ length: 25 }, (_, i) =>
  customer({ id: `cus_${String(i).padStart(2, '0')}`, created: 1_700_000_000 + i }),
);
const tiered = price({
  id: 'price_t',
  product: product('prod_t'),
  tiers: [
    { upTo: 5, unitAmount: 100 },
    { upTo: null, unitAmount: 80 },
  ],
});
const subs = [
  subscription({ id: 'sub_live', customer: 'cus_00', created: 2, items: [{ price: tiered }] }),
  subscription({
    id: 'sub_gone',
    customer: 'cus_00',
    created: 1,
    status: 'canceled',
    items: [{ price: tiered }],
  }),
];

const invoices = [
  invoice({
    id: 'in_1',
    customer: 'cus_00',
    subscription: 'sub_live',
    created: 10,
    status: 'paid',
  }),
  invoice({ id: 'in_2', customer: 'cus_00', subscription: 'sub_live', created: 20 }),
  invoice({ id: 'in_3', customer: 'cus_00', subscription: 'sub_gone', created: 30 }),
  invoice({ id: 'in_4', customer: 'cus_01', created: 40 }),
];

let fake: FakeStripe;
let stripe: Stripe;
beforeAll(async () => {
  fake = await FakeStripe.start({
    apiKey,
    data: { customers, prices: [tiered], subscriptions: subs, invoices },
  });
  stripe = new Stripe(apiKey, { ...fake.clientOptions, maxNetworkRetries: 0, telemetry: false });
});
afterAll(() => fake.close());

const newestFirst = customers.map((c) => c.id).reverse();

describe('fake Stripe list semantics', () => {
  it('answers a list of 10 by default, newest first, with has_more and url', async () => {
    const page = await stripe.customers.list();
    expect(page.object).toBe('list');
    expect(page.url).toBe('/v1/customers');
    expect(page.has_more).toBe(true);
    expect(page.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 10));
  });

  it('pages forwards with starting_after and backwards with ending_before, as the SDK paginator expects', async () => {
    const forwards: string[] = [];
    for await (const c of stripe.customers.list({ limit: 7 })) forwards.push(c.id);
    expect(forwards).toEqual(newestFirst);
    const oldest = newestFirst.at(-1) ?? '';
    const backwards: string[] = [];
    for await (const c of stripe.customers.list({ limit: 7, ending_before: oldest }))
      backwards.push(c.id);
    // Walking back from the oldest yields every newer object, oldest to newest.
    expect(backwards).toEqual(newestFirst.slice(0, -1).reverse());
  });

  it('refuses a limit above 100 and an unknown cursor as Stripe does', async () => {
    const tooMany = await stripe.customers.list({ limit: 101 }).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((tooMany as Stripe.errors.StripeError).param).toBe('limit');
    const missing = await stripe.customers
      .list({ starting_after: 'cus_nope' })
      .catch((e: unknown) => e);
    expect((missing as Stripe.errors.StripeError).code).toBe('resource_missing');
  });

  it('embeds objects only when expanded, and refuses expansions beyond four levels', async () => {
    const plain = await stripe.prices.list();
    expect(plain.data[0]?.product).toBe('prod_t');
    expect(plain.data[0]?.tiers).toBeUndefined();
    const expanded = await stripe.prices.list({ expand: ['data.tiers', 'data.product'] });
    expect(expanded.data[0]?.product).toMatchObject({ id: 'prod_t', object: 'product' });
    expect(expanded.data[0]?.tiers).toHaveLength(2);
    // The SDK turns the wire's decimal strings back into its Decimal type.
    expect(String(expanded.data[0]?.tiers?.[0]?.unit_amount_decimal)).toBe('100');
    const tooDeep = await stripe.subscriptions
      .list({ expand: ['data.items.data.price.tiers'] })
      .catch((e: unknown) => e);
    expect((tooDeep as Error).message).toMatch(/more than 4 levels/);
  });

  it('lists subscriptions that have not ended unless status=all', async () => {
    expect((await stripe.subscriptions.list()).data.map((s) => s.id)).toEqual(['sub_live']);
    const all = await stripe.subscriptions.list({ status: 'all' });
    expect(all.data.map((s) => s.id)).toEqual(['sub_live', 'sub_gone']);
    expect(all.data[0]?.latest_invoice).toBeNull();
    expect(all.data[0]?.items.data[0]?.price.tiers).toBeUndefined();
  });

  it('lists invoices newest first, by subscription and status, and refuses an unknown status', async () => {
    const ids = async (params: Stripe.InvoiceListParams) =>
      (await stripe.invoices.list(params)).data.map((i) => i.id);
    expect(await ids({})).toEqual(['in_4', 'in_3', 'in_2', 'in_1']);
    expect(await ids({ subscription: 'sub_live' })).toEqual(['in_2', 'in_1']);
    expect(await ids({ subscription: 'sub_live', status: 'open' })).toEqual(['in_2']);
    expect(await ids({ customer: 'cus_01' })).toEqual(['in_4']);
    const listed = (await stripe.invoices.list({ subscription: 'sub_gone' })).data[0];
    expect(listed?.parent?.subscription_details?.subscription).toBe('sub_gone');
    const bad = await stripe.invoices
      .list({ status: 'overdue' as Stripe.InvoiceListParams.Status })
      .catch((e: unknown) => e);
    expect((bad as Stripe.errors.StripeError).param).toBe('status');
  });

  it('answers a refused list with the error class Stripe gives for its status', async () => {
    const expected = [
      [401, Stripe.errors.StripeAuthenticationError],
      [403, Stripe.errors.StripePermissionError],
      [404, Stripe.errors.StripeInvalidRequestError],
      [400, Stripe.errors.StripeInvalidRequestError],
    ] as const;
    try {
      for (const [status, errorClass] of expected) {
        fake.refuse('invoices', status);
        const error = await stripe.invoices.list().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(errorClass);
        expect((error as Stripe.errors.StripeError).statusCode).toBe(status);
      }
    } finally {
      fake.allow('invoices');
    }
    expect((await stripe.invoices.list()).data).toHaveLength(4);
  });

  it('answers 401 to any other key', async () => {
    const other = new Stripe('sk_test_other', { ...fake.clientOptions, maxNetworkRetries: 0 });
    await expect(other.customers.list()).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
  });
});
