import { admin, balanceOf, makeCustomer, redeem, writeCounts } from '../support/api';
import {
  createProgram,
  credit,
  customerGet,
  daysFromNow,
  expectFailedItem,
  expectNoWrites,
  itemOf,
  statusOf,
} from '../support/redeem-helpers';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3600 * 1000;

interface LotRow {
  id: string;
  amount: string;
  remaining: string;
  expired_at: Date | null;
}

interface CustomerGetBody {
  response: {
    customers: {
      customer: {
        loyalty_points: number;
        points_summaries: { points_summary: { program_id: number; loyalty_points: number }[] };
      }[];
    };
  };
}

describe('redeem: lots, expiry and exact decimals', () => {
  let t: TestApp;
  let lots: number;
  let whole: number;
  let query: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp('redeem_lots');
    lots = await createProgram(t, { name: 'Lots', min_redeem: 0, redeem_multiple_of: null });
    whole = await createProgram(t, {
      name: 'Whole',
      decimal_places: 0,
      redeem_multiple_of: null,
      min_redeem: 0,
    });
    query = { skip_validation: 'true', program_id: String(lots) };
  });
  afterEach(() => {
    t.clock.reset();
  });
  afterAll(async () => {
    await t.close();
  });

  async function lotRows(ids: string[]): Promise<LotRow[]> {
    const { rows } = await t.pg.query<LotRow>(
      `SELECT id::text, amount::text, remaining::text, expired_at FROM lot
        WHERE id = ANY($1::bigint[]) ORDER BY array_position($1::bigint[], id)`,
      [ids],
    );
    return rows;
  }

  async function allocationsOf(code: string): Promise<{ lot_id: string; points: string }[]> {
    const { rows } = await t.pg.query<{ lot_id: string; points: string }>(
      `SELECT a.lot_id::text, a.points::text FROM redemption_allocation a
         JOIN redemption r ON r.id = a.redemption_id
        WHERE r.code = $1 ORDER BY a.seq`,
      [code],
    );
    return rows;
  }

  async function ledgerOf(customerId: number): Promise<{ kind: string; amount: string }[]> {
    const { rows } = await t.pg.query<{ kind: string; amount: string }>(
      `SELECT e.kind, e.amount::text FROM ledger_entry e JOIN wallet w ON w.id = e.wallet_id
        WHERE w.customer_id = $1 AND w.program_id = $2 ORDER BY e.id`,
      [customerId, lots],
    );
    return rows;
  }

  it('consumes the earliest-expiring lot first, no-expiry lots last', async () => {
    const c = await makeCustomer(t);
    // Credited in the reverse of spending order, so lot id order cannot explain the result.
    const never = await credit(t, { customer_id: c.id, program_id: lots, points: 100 });
    const nextYear = await credit(t, {
      customer_id: c.id,
      program_id: lots,
      points: 50,
      expires_at: daysFromNow(t, 365),
    });
    const tomorrow = await credit(t, {
      customer_id: c.id,
      program_id: lots,
      points: 30,
      expires_at: daysFromNow(t, 1),
    });
    expect(tomorrow.balance).toBe(180);

    const res = await redeem(t, { points_redeemed: 60, customer: { mobile: c.mobile } }, query);
    expect(res.status).toBe(200);
    expect(statusOf(res).code).toBe(200);
    const item = itemOf(res);
    expect(item).toMatchObject({ balance: 120, points_redeemed: '60', item_status: { code: 800 } });

    expect(await allocationsOf(item.redemption_id ?? '')).toEqual([
      { lot_id: tomorrow.lotId, points: '30.000' },
      { lot_id: nextYear.lotId, points: '30.000' },
    ]);
    expect(
      (await lotRows([tomorrow.lotId, nextYear.lotId, never.lotId])).map((l) => l.remaining),
    ).toEqual(['0.000', '20.000', '100.000']);
    expect(await balanceOf(t, c.id, lots)).toBe('120.000');
    expect(await ledgerOf(c.id)).toEqual([
      { kind: 'CREDIT', amount: '100.000' },
      { kind: 'CREDIT', amount: '50.000' },
      { kind: 'CREDIT', amount: '30.000' },
      { kind: 'REDEMPTION', amount: '-60.000' },
    ]);

    // The next redemption continues with the next-year lot, then the lot without expiry.
    const next = await redeem(t, { points_redeemed: 25, customer: { mobile: c.mobile } }, query);
    const nextItem = itemOf(next);
    expect(nextItem).toMatchObject({ balance: 95, item_status: { code: 800 } });
    expect(await allocationsOf(nextItem.redemption_id ?? '')).toEqual([
      { lot_id: nextYear.lotId, points: '20.000' },
      { lot_id: never.lotId, points: '5.000' },
    ]);
  });

  it('same expiry: the earlier-earned lot is spent first', async () => {
    const c = await makeCustomer(t);
    const expires = daysFromNow(t, 10);
    const newer = await credit(t, {
      customer_id: c.id,
      program_id: lots,
      points: 10,
      expires_at: expires,
      earned_at: daysFromNow(t, -1),
    });
    const older = await credit(t, {
      customer_id: c.id,
      program_id: lots,
      points: 10,
      expires_at: expires,
      earned_at: daysFromNow(t, -5),
    });
    const res = await redeem(t, { points_redeemed: 15, customer: { mobile: c.mobile } }, query);
    expect(itemOf(res).item_status.code).toBe(800);
    expect(await allocationsOf(itemOf(res).redemption_id ?? '')).toEqual([
      { lot_id: older.lotId, points: '10.000' },
      { lot_id: newer.lotId, points: '5.000' },
    ]);
  });

  it('an expired lot is not spendable, is hidden from reads, and is written off on the next lock', async () => {
    const c = await makeCustomer(t);
    const soon = await credit(t, {
      customer_id: c.id,
      program_id: lots,
      points: 40,
      expires_at: new Date(t.clock.now().getTime() + HOUR).toISOString(),
    });
    const never = await credit(t, { customer_id: c.id, program_id: lots, points: 25 });

    t.clock.advance(2 * HOUR);

    // Reads count unexpired points only, before anything swept the lapsed lot.
    const get = await customerGet(t, { mobile: c.mobile });
    expect(get.status).toBe(200);
    const customer = (get.body as CustomerGetBody).response.customers.customer[0];
    expect(customer.loyalty_points).toBe(25);
    const summary = customer.points_summaries.points_summary.find((s) => s.program_id === lots);
    expect(summary).toMatchObject({ loyalty_points: 25, expired: 40 });
    expect((await ledgerOf(c.id)).map((e) => e.kind)).toEqual(['CREDIT', 'CREDIT']);

    // Asking for more than the unexpired points: 803, though the stored balance was 65.
    const before = await writeCounts(t);
    const tooMuch = await redeem(t, { points_redeemed: 26, customer: { mobile: c.mobile } }, query);
    expect(tooMuch.status).toBe(200);
    expect(statusOf(tooMuch).code).toBe(500);
    expectFailedItem(itemOf(tooMuch), 803);
    const after = await writeCounts(t);
    expect(after.redemption).toBe(before.redemption);
    expect(after.redemption_allocation).toBe(before.redemption_allocation);

    // Locking the wallet wrote the lapsed lot off with an EXPIRY ledger row.
    expect(await ledgerOf(c.id)).toEqual([
      { kind: 'CREDIT', amount: '40.000' },
      { kind: 'CREDIT', amount: '25.000' },
      { kind: 'EXPIRY', amount: '-40.000' },
    ]);
    const [lapsed] = await lotRows([soon.lotId]);
    expect(lapsed.remaining).toBe('0.000');
    expect(lapsed.expired_at).not.toBeNull();
    expect(await balanceOf(t, c.id, lots)).toBe('25.000');

    // All the unexpired points can be redeemed, from the lot without expiry only.
    const ok = await redeem(t, { points_redeemed: 25, customer: { mobile: c.mobile } }, query);
    const item = itemOf(ok);
    expect(item).toMatchObject({ balance: 0, item_status: { code: 800 } });
    expect(await allocationsOf(item.redemption_id ?? '')).toEqual([
      { lot_id: never.lotId, points: '25.000' },
    ]);
    expect(await balanceOf(t, c.id, lots)).toBe('0.000');
  });

  it('a successful redemption also writes off lapsed lots and spends only live ones', async () => {
    const c = await makeCustomer(t);
    await credit(t, {
      customer_id: c.id,
      program_id: lots,
      points: 10,
      expires_at: new Date(t.clock.now().getTime() + HOUR).toISOString(),
    });
    const later = await credit(t, {
      customer_id: c.id,
      program_id: lots,
      points: 20,
      expires_at: daysFromNow(t, 30),
    });
    t.clock.advance(2 * HOUR);
    const res = await redeem(t, { points_redeemed: 5, customer: { mobile: c.mobile } }, query);
    const item = itemOf(res);
    expect(item).toMatchObject({ balance: 15, item_status: { code: 800 } });
    expect(await allocationsOf(item.redemption_id ?? '')).toEqual([
      { lot_id: later.lotId, points: '5.000' },
    ]);
    expect((await ledgerOf(c.id)).map((e) => [e.kind, e.amount])).toEqual([
      ['CREDIT', '10.000'],
      ['CREDIT', '20.000'],
      ['EXPIRY', '-10.000'],
      ['REDEMPTION', '-5.000'],
    ]);
    expect(await balanceOf(t, c.id, lots)).toBe('15.000');
  });

  it('exact decimals: ten redemptions of "0.1" empty a wallet of 1.000 exactly; the 11th is 803', async () => {
    const c = await makeCustomer(t, [{ points: '1.000', program_id: lots }]);
    const balances: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await redeem(
        t,
        { points_redeemed: '0.1', customer: { mobile: c.mobile } },
        query,
      );
      const item = itemOf(res);
      expect(item.item_status.code).toBe(800);
      expect(item.points_redeemed).toBe('0.1');
      balances.push(item.balance ?? NaN);
    }
    expect(balances).toEqual([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0]);
    expect(await balanceOf(t, c.id, lots)).toBe('0.000');
    const eleventh = await expectNoWrites(t, () =>
      redeem(t, { points_redeemed: '0.1', customer: { mobile: c.mobile } }, query),
    );
    expectFailedItem(itemOf(eleventh), 803);
    expect(await balanceOf(t, c.id, lots)).toBe('0.000');
  });

  it('exact decimals: a fractional number keeps its literal (0.1 + 0.2 style)', async () => {
    const c = await makeCustomer(t, [{ points: '0.3', program_id: lots }]);
    const first = await redeem(t, { points_redeemed: 0.1, customer: { mobile: c.mobile } }, query);
    expect(itemOf(first)).toMatchObject({ points_redeemed: '0.1', balance: 0.2 });
    const second = await redeem(t, { points_redeemed: 0.2, customer: { mobile: c.mobile } }, query);
    expect(itemOf(second)).toMatchObject({ points_redeemed: '0.2', balance: 0 });
    expect(await balanceOf(t, c.id, lots)).toBe('0.000');
  });

  it('878: more than 3 decimals, or more than the program allows; nothing written', async () => {
    const c = await makeCustomer(t, [
      { points: 10, program_id: lots },
      { points: 10, program_id: whole },
    ]);
    const fine = await expectNoWrites(t, () =>
      redeem(t, { points_redeemed: '1.1111', customer: { mobile: c.mobile } }, query),
    );
    expect(statusOf(fine).code).toBe(500);
    expectFailedItem(itemOf(fine), 878);
    const whole15 = await expectNoWrites(t, () =>
      redeem(
        t,
        { points_redeemed: 1.5, customer: { mobile: c.mobile } },
        { skip_validation: 'true', program_id: String(whole) },
      ),
    );
    expectFailedItem(itemOf(whole15), 878);
    expect(await balanceOf(t, c.id, lots)).toBe('10.000');
    expect(await balanceOf(t, c.id, whole)).toBe('10.000');
    // At the limits: "1.110" has 3 places; 2 in the whole-number program.
    const ok3 = await redeem(
      t,
      { points_redeemed: '1.110', customer: { mobile: c.mobile } },
      query,
    );
    expect(itemOf(ok3)).toMatchObject({ balance: 8.89, item_status: { code: 800 } });
    const ok0 = await redeem(
      t,
      { points_redeemed: 2, customer: { mobile: c.mobile } },
      { skip_validation: 'true', program_id: String(whole) },
    );
    expect(itemOf(ok0)).toMatchObject({ balance: 8, item_status: { code: 800 } });
  });

  it('the ledger verifies: balances = ledger sums = open lots; allocations add up', async () => {
    const res = await admin(t, 'get', '/admin/ledger/verify');
    expect(res.status).toBe(200);
    expect(res.body.failures).toEqual([]);
    expect(res.body.ok).toBe(true);
    expect(res.body.wallets_checked).toBeGreaterThan(5);
  });
});
