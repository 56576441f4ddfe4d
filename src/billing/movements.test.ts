import { describe, expect, it } from 'vitest';
import {
  daysFromNow,
  item,
  mrrMap,
  NOW,
  policy,
  price,
  snapshot,
  subscription,
} from '../../test/fixtures/billing-builders.js';
import { customerMrrAt, customersPayingBefore } from './aggregate.js';
import {
  classify,
  computeMovements,
  customerChurnRate,
  grossRevenueChurn,
  type MovementKind,
  netRevenueChurn,
} from './movements.js';

const none = new Set<string>();
const noMovement: Record<MovementKind, number> = {
  new: 0,
  expansion: 0,
  contraction: 0,
  churn: 0,
  reactivation: 0,
};
const movements = (
  start: Record<string, Record<string, number>>,
  end: Record<string, Record<string, number>>,
  paidBefore: ReadonlySet<string> = none,
) => computeMovements(mrrMap(start), mrrMap(end), paidBefore);

describe('classify', () => {
  it.each([
    [0, 1000, false, 'new'],
    [0, 1000, true, 'reactivation'],
    [1000, 0, false, 'churn'],
    [1000, 0, true, 'churn'],
    [1000, 1500, false, 'expansion'],
    [1000, 500, true, 'contraction'],
    [1000, 1000, false, undefined],
    [0, 0, true, undefined],
  ] as const)('%d → %d (paid before: %s) is %s', (start, end, paidBefore, kind) => {
    expect(classify(start, end, paidBefore)).toBe(kind);
  });
});

describe('computeMovements: one customer', () => {
  it('an upgrade is expansion, never churn plus new: 1000 → 3000 = +2000', () => {
    const r = movements({ c1: { usd: 1000 } }, { c1: { usd: 3000 } });
    expect(r.byCurrency.get('usd')).toEqual({
      start: 1000,
      end: 3000,
      amounts: { ...noMovement, expansion: 2000 },
    });
    expect(r.customers).toEqual({ ...noMovement, expansion: 1 });
  });

  it('a downgrade is contraction: 3000 → 1000 = 2000 lost', () => {
    const r = movements({ c1: { usd: 3000 } }, { c1: { usd: 1000 } });
    expect(r.byCurrency.get('usd')?.amounts).toEqual({ ...noMovement, contraction: 2000 });
    expect(r.customers).toEqual({ ...noMovement, contraction: 1 });
  });

  it('a new customer is new, a returning one (paid before) is reactivation', () => {
    const r = movements({}, { c_new: { usd: 1000 }, c_back: { usd: 700 } }, new Set(['c_back']));
    expect(r.byCurrency.get('usd')?.amounts).toEqual({
      ...noMovement,
      new: 1000,
      reactivation: 700,
    });
    expect(r.customers).toEqual({ ...noMovement, new: 1, reactivation: 1 });
  });

  it('a customer who stops paying is churn', () => {
    const r = movements({ c1: { usd: 1000 } }, {});
    expect(r.byCurrency.get('usd')?.amounts).toEqual({ ...noMovement, churn: 1000 });
    expect(r.customers).toEqual({ ...noMovement, churn: 1 });
  });

  it('an unchanged customer moves nothing', () => {
    const r = movements({ c1: { usd: 1000 } }, { c1: { usd: 1000 } });
    expect(r.byCurrency.get('usd')?.amounts).toEqual(noMovement);
    expect(r.customers).toEqual(noMovement);
  });

  it('a continuing customer adding a second currency expands in it (not reactivation)', () => {
    // paidBefore does not matter: the customer was paying at the start
    const r = movements({ c1: { usd: 1000 } }, { c1: { usd: 1000, eur: 500 } }, new Set(['c1']));
    expect(r.byCurrency.get('eur')).toEqual({
      start: 0,
      end: 500,
      amounts: { ...noMovement, expansion: 500 },
    });
    expect(r.byCurrency.get('usd')?.amounts).toEqual(noMovement);
    expect(r.customers).toEqual({ ...noMovement, expansion: 1 });
  });

  it('a continuing customer dropping one of two currencies contracts in it (not churn)', () => {
    // total 1000 + 500 = 1500 → 1000: contraction
    const r = movements({ c1: { usd: 1000, eur: 500 } }, { c1: { usd: 1000 } });
    expect(r.byCurrency.get('eur')?.amounts).toEqual({ ...noMovement, contraction: 500 });
    expect(r.customers).toEqual({ ...noMovement, contraction: 1 });
  });

  it('a new customer paying in two currencies is new in both', () => {
    const r = movements({}, { c1: { usd: 1000, eur: 800 } });
    expect(r.byCurrency.get('usd')?.amounts.new).toBe(1000);
    expect(r.byCurrency.get('eur')?.amounts.new).toBe(800);
    expect(r.customers.new).toBe(1);
  });

  it('a churned customer paying in two currencies churns in both', () => {
    const r = movements({ c1: { usd: 1000, eur: 800 } }, {});
    expect(r.byCurrency.get('usd')?.amounts.churn).toBe(1000);
    expect(r.byCurrency.get('eur')?.amounts.churn).toBe(800);
    expect(r.customers.churn).toBe(1);
  });
});

describe('computeMovements: subscriptions of one customer', () => {
  const monthStart = daysFromNow(-14);
  const run = (subs: ReturnType<typeof subscription>[]) => {
    const snap = snapshot(subs);
    const p = policy();
    return computeMovements(
      customerMrrAt(snap, monthStart, p),
      customerMrrAt(snap, NOW, p),
      customersPayingBefore(snap, monthStart),
    );
  };
  const addon = item({
    price: price({ id: 'price_addon', productId: 'prod_addon', unitAmount: 500 }),
  });

  it('a second subscription is expansion: 1000 → 1000 + 500', () => {
    const r = run([subscription(), subscription({ startedAt: daysFromNow(-3), items: [addon] })]);
    expect(r.byCurrency.get('usd')?.amounts).toEqual({ ...noMovement, expansion: 500 });
    expect(r.customers).toEqual({ ...noMovement, expansion: 1 });
  });

  it('cancelling one of two subscriptions is contraction: 1500 → 1000', () => {
    const r = run([
      subscription(),
      subscription({ status: 'canceled', endedAt: daysFromNow(-3), items: [addon] }),
    ]);
    expect(r.byCurrency.get('usd')?.amounts).toEqual({ ...noMovement, contraction: 500 });
    expect(r.customers).toEqual({ ...noMovement, contraction: 1 });
  });

  it('cancelling the last subscription is churn: 1000 → 0', () => {
    const r = run([subscription({ status: 'canceled', endedAt: daysFromNow(-3) })]);
    expect(r.byCurrency.get('usd')?.amounts).toEqual({ ...noMovement, churn: 1000 });
    expect(r.customers).toEqual({ ...noMovement, churn: 1 });
    expect(r.payingAtStart).toBe(1);
    expect(r.payingAtEnd).toBe(0);
  });

  it('a plan swap through a new subscription is expansion: 1000 ends, 3000 starts', () => {
    const r = run([
      subscription({ status: 'canceled', endedAt: daysFromNow(-7) }),
      subscription({
        startedAt: daysFromNow(-7),
        items: [item({ price: price({ unitAmount: 3000 }) })],
      }),
    ]);
    expect(r.byCurrency.get('usd')?.amounts).toEqual({ ...noMovement, expansion: 2000 });
    expect(r.customers).toEqual({ ...noMovement, expansion: 1 });
  });

  describe('churn then reactivation within the period nets out for that customer', () => {
    const churnedThenBack = (unitAmount: number) =>
      run([
        subscription({ status: 'canceled', endedAt: daysFromNow(-10) }),
        subscription({
          startedAt: daysFromNow(-4),
          items: [item({ price: price({ unitAmount }) })],
        }),
      ]);

    it('back higher: expansion 1200 - 1000 = 200', () => {
      const r = churnedThenBack(1200);
      expect(r.byCurrency.get('usd')?.amounts).toEqual({ ...noMovement, expansion: 200 });
      expect(r.customers).toEqual({ ...noMovement, expansion: 1 });
    });

    it('back lower: contraction 1000 - 800 = 200', () => {
      const r = churnedThenBack(800);
      expect(r.byCurrency.get('usd')?.amounts).toEqual({ ...noMovement, contraction: 200 });
      expect(r.customers).toEqual({ ...noMovement, contraction: 1 });
    });

    it('back at the same price: no movement at all', () => {
      const r = churnedThenBack(1000);
      expect(r.byCurrency.get('usd')?.amounts).toEqual(noMovement);
      expect(r.customers).toEqual(noMovement);
    });
  });

  it('a customer who paid before the period and returns is reactivation', () => {
    const r = run([
      subscription({
        startedAt: daysFromNow(-200),
        status: 'canceled',
        endedAt: daysFromNow(-100),
      }),
      subscription({ startedAt: daysFromNow(-2) }),
    ]);
    expect(r.byCurrency.get('usd')?.amounts).toEqual({ ...noMovement, reactivation: 1000 });
    expect(r.customers).toEqual({ ...noMovement, reactivation: 1 });
  });

  it('a customer whose trial converted in the period is new', () => {
    const r = run([subscription({ startedAt: daysFromNow(-20), trialEnd: daysFromNow(-6) })]);
    expect(r.byCurrency.get('usd')?.amounts).toEqual({ ...noMovement, new: 1000 });
    expect(r.customers).toEqual({ ...noMovement, new: 1 });
  });
});

describe('computeMovements: a month of several customers', () => {
  const r = movements(
    {
      c_up: { usd: 1000 },
      c_down: { usd: 3000 },
      c_gone: { usd: 1000 },
      c_steady: { usd: 1000, eur: 2000 },
    },
    {
      c_up: { usd: 3000 },
      c_down: { usd: 1000 },
      c_steady: { usd: 1000, eur: 2000 },
      c_new: { usd: 500 },
      c_back: { eur: 900 },
    },
    new Set(['c_back', 'c_gone']),
  );

  it('adds movements per currency', () => {
    // usd start 1000 + 3000 + 1000 + 1000 = 6000; end 3000 + 1000 + 1000 + 500 = 5500
    // 6000 + new 500 + expansion 2000 - contraction 2000 - churn 1000 = 5500
    expect(r.byCurrency.get('usd')).toEqual({
      start: 6000,
      end: 5500,
      amounts: { ...noMovement, new: 500, expansion: 2000, contraction: 2000, churn: 1000 },
    });
    // eur start 2000; end 2000 + 900; 2000 + reactivation 900 = 2900
    expect(r.byCurrency.get('eur')).toEqual({
      start: 2000,
      end: 2900,
      amounts: { ...noMovement, reactivation: 900 },
    });
  });

  it('counts customers per kind and paying customers at both ends', () => {
    expect(r.customers).toEqual({
      new: 1,
      expansion: 1,
      contraction: 1,
      churn: 1,
      reactivation: 1,
    });
    expect(r.payingAtStart).toBe(4);
    expect(r.payingAtEnd).toBe(5);
  });

  it('derives the churn ratios', () => {
    // 1 churned / 4 paying at start = 0.25
    expect(customerChurnRate(r)).toBeCloseTo(0.25, 12);
    const usd = r.byCurrency.get('usd');
    const eur = r.byCurrency.get('eur');
    if (!usd || !eur) throw new Error('missing currency');
    // gross usd (1000 + 2000) / 6000 = 0.5
    expect(grossRevenueChurn(usd)).toBeCloseTo(0.5, 12);
    // net usd (1000 + 2000 - 2000 - 0) / 6000 = 1/6
    expect(netRevenueChurn(usd)).toBeCloseTo(1 / 6, 12);
    // gross eur 0 / 2000 = 0; net eur (0 - 900) / 2000 = -0.45
    expect(grossRevenueChurn(eur)).toBe(0);
    expect(netRevenueChurn(eur)).toBeCloseTo(-0.45, 12);
  });
});

describe('churn ratios', () => {
  it('net revenue churn is negative with net expansion', () => {
    const r = movements(
      { c1: { usd: 1000 }, c2: { usd: 1000 } },
      { c1: { usd: 3000 }, c2: { usd: 500 } },
    );
    const usd = r.byCurrency.get('usd');
    if (!usd) throw new Error('missing usd');
    // gross: contraction 500 / start 2000 = 0.25
    expect(grossRevenueChurn(usd)).toBeCloseTo(0.25, 12);
    // net: (0 + 500 - 2000 - 0) / 2000 = -0.75
    expect(netRevenueChurn(usd)).toBeCloseTo(-0.75, 12);
  });

  it('counts churned customers against paying customers at the start: 1 / 2 = 0.5', () => {
    const r = movements({ c1: { usd: 1000 }, c2: { usd: 1000 } }, { c1: { usd: 1000 } });
    expect(customerChurnRate(r)).toBeCloseTo(0.5, 12);
  });

  it('is null with nobody paying at the start', () => {
    const r = movements({}, { c1: { usd: 1000 } });
    expect(r.payingAtStart).toBe(0);
    expect(customerChurnRate(r)).toBeNull();
    const usd = r.byCurrency.get('usd');
    if (!usd) throw new Error('missing usd');
    expect(usd.start).toBe(0);
    expect(grossRevenueChurn(usd)).toBeNull();
    expect(netRevenueChurn(usd)).toBeNull();
  });

  it('is null for an empty period', () => {
    const r = movements({}, {});
    expect(r.byCurrency.size).toBe(0);
    expect(customerChurnRate(r)).toBeNull();
    const empty = { start: 0, end: 0, amounts: noMovement };
    expect(grossRevenueChurn(empty)).toBeNull();
    expect(netRevenueChurn(empty)).toBeNull();
  });

  it('is zero, not null, when paying customers all stayed', () => {
    const r = movements({ c1: { usd: 1000 } }, { c1: { usd: 1000 } });
    expect(customerChurnRate(r)).toBe(0);
  });
});
