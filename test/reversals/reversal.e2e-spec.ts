import request from 'supertest';
import { admin, balanceOf, makeCustomer } from '../support/api';
import { DEMO_MOBILE, DEMO_TILL, OTHER_TILL, READONLY_TILL } from '../support/credentials';
import { fireAll, loadAgent, TimedResponse } from '../support/http-load';
import {
  createProgram,
  credit,
  daysFromNow,
  expectNoWrites,
  groupBalanceOf,
} from '../support/redeem-helpers';
import {
  expectLedgerOk,
  expectV2Error,
  lotRemaining,
  orgIdOf,
  redeemFor,
  reversalCount,
  reverse,
  ReverseBody,
  V2ErrorBody,
  walletBalance,
  walletIdOf,
} from '../support/reversal-helpers';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3600 * 1000;
const REVERSAL_ID = /^[A-Za-z0-9]{6}$/;

interface HistoryBody {
  response: {
    status: { success: string; code: number };
    customer: {
      redemptions: {
        redemption: {
          redemption_id: string;
          points_reversed: number;
          reversals: {
            reversal_id: string;
            points_reversed: number;
            points_expired: number;
          }[];
        }[];
      };
    };
  };
}

/** `count` identical POST /v2/points/reverse requests sent at once. */
async function parallelReversals(
  url: string,
  count: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<TimedResponse[]> {
  const agent = loadAgent(count);
  try {
    return await fireAll(
      url,
      Array.from({ length: count }, () => ({
        path: '/v2/points/reverse',
        headers: { Authorization: DEMO_TILL, 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      })),
      agent,
    );
  } finally {
    agent.destroy();
  }
}

describe('POST /v2/points/reverse', () => {
  let t: TestApp;
  let rev: number;
  let whole: number;
  let query: Record<string, string>;
  let demoOrg: number;

  beforeAll(async () => {
    t = await startTestApp('reversal');
    rev = await createProgram(t, { name: 'Rev', min_redeem: 0, redeem_multiple_of: null });
    whole = await createProgram(t, {
      name: 'RevWhole',
      decimal_places: 0,
      min_redeem: 0,
      redeem_multiple_of: null,
    });
    query = { skip_validation: 'true', program_id: String(rev) };
    demoOrg = await orgIdOf(t, 'demo');
  });
  afterEach(() => {
    t.clock.reset();
  });
  afterAll(async () => {
    await t.close();
  });

  /** A customer with the given lots in program Rev, and its wallet id. */
  async function customerWithLots(
    lots: { points: number | string; expires_at?: string }[],
    programId = rev,
  ): Promise<{ id: number; mobile: string; wallet: string }> {
    const c = await makeCustomer(
      t,
      lots.map((l) => ({ ...l, program_id: programId })),
    );
    return { ...c, wallet: await walletIdOf(t, c.id, programId) };
  }

  it('partial then the rest: balance and every lot come back to what they were', async () => {
    const c = await customerWithLots([
      { points: 30, expires_at: daysFromNow(t, 2) },
      { points: 50, expires_at: daysFromNow(t, 365) },
    ]);
    const before = await lotRemaining(t, c.wallet);
    expect(Object.values(before).sort()).toEqual(['30.000', '50.000']);

    const code = await redeemFor(t, c.mobile, 60, query);
    expect(await walletBalance(t, c.wallet)).toBe('20.000');
    const afterRedeem = await lotRemaining(t, c.wallet);
    expect(Object.values(afterRedeem).sort()).toEqual(['0.000', '20.000']);

    const first = await reverse(t, {
      redemptionId: code,
      pointsToBeReversed: 20,
      identifier: { type: 'mobile', value: c.mobile },
    });
    expect(first.status).toBe(200);
    const r1 = first.body as ReverseBody;
    expect(r1).toEqual({
      orgId: demoOrg,
      customerId: c.id,
      redemptionId: code,
      reversalId: expect.stringMatching(REVERSAL_ID),
      pointsToBeReversed: 20,
      pointsReversed: 20,
      pointsReversedDetails: { available: 20, expired: 0 },
      balance: 40,
      warnings: [],
    });
    expect(await walletBalance(t, c.wallet)).toBe('40.000');
    const mid = await lotRemaining(t, c.wallet);
    const midTotal = Object.values(mid).reduce((s, v) => s + Number(v), 0);
    expect(midTotal).toBe(40);
    for (const [lot, remaining] of Object.entries(mid)) {
      expect(Number(remaining)).toBeLessThanOrEqual(Number(before[lot]));
    }

    const second = await reverse(t, { redemptionId: code });
    expect(second.status).toBe(200);
    const r2 = second.body as ReverseBody;
    expect(r2).toEqual({
      orgId: demoOrg,
      customerId: c.id,
      redemptionId: code,
      reversalId: expect.stringMatching(REVERSAL_ID),
      pointsToBeReversed: 40,
      pointsReversed: 40,
      pointsReversedDetails: { available: 40, expired: 0 },
      balance: 80,
      warnings: [],
    });
    expect(r2.reversalId).not.toBe(r1.reversalId);

    expect(await walletBalance(t, c.wallet)).toBe('80.000');
    expect(await lotRemaining(t, c.wallet)).toEqual(before);

    // Each lot got back, through REVERSAL ledger rows, exactly what the redemption took from it.
    const { rows: ledger } = await t.pg.query<{
      lot_id: string;
      amount: string;
      without_reversal: number;
      redemption_codes: string[];
    }>(
      `SELECT e.lot_id::text, sum(e.amount)::text AS amount,
              count(*) FILTER (WHERE e.reversal_id IS NULL)::int AS without_reversal,
              array_agg(DISTINCT r.code) AS redemption_codes
         FROM ledger_entry e JOIN redemption r ON r.id = e.redemption_id
        WHERE e.wallet_id = $1 AND e.kind = 'REVERSAL' GROUP BY e.lot_id ORDER BY e.lot_id`,
      [c.wallet],
    );
    expect(Object.fromEntries(ledger.map((l) => [l.lot_id, Number(l.amount)]))).toEqual(
      Object.fromEntries(
        Object.entries(before).map(([id, v]) => [id, Number(v) - Number(afterRedeem[id])]),
      ),
    );
    for (const l of ledger) {
      expect(l.redemption_codes).toEqual([code]);
      expect(l.without_reversal).toBe(0);
    }
    const { rows: last } = await t.pg.query<{ balance_after: string }>(
      `SELECT balance_after::text FROM ledger_entry WHERE wallet_id = $1 ORDER BY id DESC LIMIT 1`,
      [c.wallet],
    );
    expect(last[0].balance_after).toBe('80.000');
    expect(await reversalCount(t, code)).toBe(2);
    await expectLedgerOk(t);

    const history = await request(t.url)
      .get('/v1.1/customer/redemptions')
      .query({ mobile: c.mobile })
      .set('Authorization', DEMO_TILL);
    expect(history.status).toBe(200);
    const body = history.body as HistoryBody;
    expect(body.response.status).toMatchObject({ success: 'true', code: 200 });
    const entry = body.response.customer.redemptions.redemption.find(
      (r) => r.redemption_id === code,
    );
    expect(entry).toBeDefined();
    expect(entry?.points_reversed).toBe(60);
    expect(entry?.reversals).toEqual([
      expect.objectContaining({
        reversal_id: r1.reversalId,
        points_reversed: 20,
        points_expired: 0,
      }),
      expect.objectContaining({
        reversal_id: r2.reversalId,
        points_reversed: 40,
        points_expired: 0,
      }),
    ]);
  });

  it('a lot that expired since the redemption is reported as expired and not refilled', async () => {
    const c = await customerWithLots([
      { points: 30, expires_at: new Date(t.clock.now().getTime() + HOUR).toISOString() },
      { points: 100 },
    ]);
    const lots = await lotRemaining(t, c.wallet);
    const [shortLot, longLot] = Object.entries(lots)
      .sort((a, b) => Number(a[1]) - Number(b[1]))
      .map(([id]) => id);
    expect(lots).toEqual({ [shortLot]: '30.000', [longLot]: '100.000' });

    const code = await redeemFor(t, c.mobile, 40, query);
    expect(await lotRemaining(t, c.wallet)).toEqual({ [shortLot]: '0.000', [longLot]: '90.000' });
    expect(await walletBalance(t, c.wallet)).toBe('90.000');

    t.clock.advance(2 * HOUR);
    const res = await reverse(t, { redemptionId: code });
    expect(res.status).toBe(200);
    const body = res.body as ReverseBody;
    expect(body).toMatchObject({
      orgId: demoOrg,
      customerId: c.id,
      redemptionId: code,
      reversalId: expect.stringMatching(REVERSAL_ID),
      pointsToBeReversed: 40,
      pointsReversed: 10,
      pointsReversedDetails: { available: 10, expired: 30 },
      balance: 100,
    });
    expect(Array.isArray(body.warnings)).toBe(true);

    // The lapsed lot stays empty; only the live one is refilled.
    expect(await lotRemaining(t, c.wallet)).toEqual({ [shortLot]: '0.000', [longLot]: '100.000' });
    expect(await walletBalance(t, c.wallet)).toBe('100.000');
    const { rows } = await t.pg.query<{ lot_id: string; amount: string }>(
      `SELECT lot_id::text, amount::text FROM ledger_entry
        WHERE wallet_id = $1 AND kind = 'REVERSAL' ORDER BY id`,
      [c.wallet],
    );
    expect(rows).toEqual([{ lot_id: longLot, amount: '10.000' }]);
    await expectLedgerOk(t);

    // The expired part counts as reversed: nothing is left to reverse.
    const again = await expectNoWrites(t, () => reverse(t, { redemptionId: code }));
    expectV2Error(again, 409, 3802);
  });

  it('10 parallel full reversals: exactly one wins, nine get 409 3802', async () => {
    const c = await customerWithLots([{ points: 100 }]);
    const code = await redeemFor(t, c.mobile, 50, query);
    expect(await walletBalance(t, c.wallet)).toBe('50.000');

    const results = await parallelReversals(t.url, 10, { redemptionId: code });
    const ok = results.filter((r) => r.status === 200);
    const conflicts = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(9);
    expect(JSON.parse(ok[0].text)).toMatchObject({
      redemptionId: code,
      pointsToBeReversed: 50,
      pointsReversed: 50,
      balance: 100,
    });
    for (const r of conflicts) {
      expect(JSON.parse(r.text)).toEqual({
        errors: [{ code: 3802, message: expect.any(String) }],
      });
    }
    expect(await walletBalance(t, c.wallet)).toBe('100.000');
    expect(await reversalCount(t, code)).toBe(1);
    await expectLedgerOk(t);
  });

  it('parallel partial reversals never exceed the redemption: 3 of 3 points fit in 10', async () => {
    const c = await customerWithLots([{ points: 100 }]);
    const code = await redeemFor(t, c.mobile, 10, query);
    const results = await parallelReversals(t.url, 10, {
      redemptionId: code,
      pointsToBeReversed: 3,
    });
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(7);
    for (const r of refused) {
      expect(r.status).toBe(400);
      expect(JSON.parse(r.text)).toEqual({
        errors: [{ code: 810, message: expect.any(String) }],
      });
    }
    expect(await walletBalance(t, c.wallet)).toBe('99.000');
    expect(await reversalCount(t, code)).toBe(3);
    const last = await reverse(t, { redemptionId: code });
    expect(last.body).toMatchObject({ pointsToBeReversed: 1, balance: 100 });
    await expectLedgerOk(t);
  });

  it('Idempotency-Key: parallel requests with one key reverse once', async () => {
    const c = await customerWithLots([{ points: 100 }]);
    const code = await redeemFor(t, c.mobile, 10, query);
    const results = await parallelReversals(
      t.url,
      5,
      { redemptionId: code, pointsToBeReversed: 2 },
      { 'Idempotency-Key': `par-${code}` },
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of ok) expect(r.text).toBe(ok[0].text);
    for (const r of results) expect([200, 409]).toContain(r.status);
    expect(await reversalCount(t, code)).toBe(1);
    expect(await walletBalance(t, c.wallet)).toBe('92.000');
  });

  describe('errors write nothing', () => {
    let c: { id: number; mobile: string; wallet: string };
    let code: string;

    beforeAll(async () => {
      c = await customerWithLots([{ points: 100 }]);
      code = await redeemFor(t, c.mobile, 10, query);
    });

    it('403 for a till without points write, in the v2 envelope', async () => {
      const res = await expectNoWrites(t, () => reverse(t, { redemptionId: code }, READONLY_TILL));
      expectV2Error(res, 403, 403);
    });

    it('902: unknown redemption id or external reference number (HTTP 404)', async () => {
      for (const body of [
        { redemptionId: 'zzzzzz' },
        { redemptionId: 'zzzzzz', pointsToBeReversed: 1 },
        { externalReferenceNumber: 'no-such-reference' },
      ]) {
        const res = await expectNoWrites(t, () => reverse(t, body));
        expectV2Error(res, 404, 902);
      }
    });

    it("902: another org's redemption is invisible", async () => {
      const otherCode = await redeemFor(
        t,
        '919900000002',
        1,
        { skip_validation: 'true' },
        OTHER_TILL,
      );
      for (const body of [
        { redemptionId: otherCode },
        { redemptionId: otherCode, pointsToBeReversed: 1 },
      ]) {
        const res = await expectNoWrites(t, () => reverse(t, body));
        expectV2Error(res, 404, 902);
      }
      // It does exist for its own org.
      const own = await reverse(t, { redemptionId: otherCode }, OTHER_TILL);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({
        orgId: await orgIdOf(t, 'other'),
        redemptionId: otherCode,
        pointsReversed: 1,
        balance: 500,
      });
    });

    it('3802: already fully reversed (HTTP 409)', async () => {
      const done = await redeemFor(t, c.mobile, 5, query);
      const full = await reverse(t, { redemptionId: done });
      expect(full.status).toBe(200);
      const res = await expectNoWrites(t, () => reverse(t, { redemptionId: done }));
      expectV2Error(res, 409, 3802);
      expect(await reversalCount(t, done)).toBe(1);
    });

    it('878: more decimals than allowed', async () => {
      const res = await expectNoWrites(t, () =>
        reverse(t, { redemptionId: code, pointsToBeReversed: '1.0001' }),
      );
      expectV2Error(res, 400, 878);

      const w = await customerWithLots([{ points: 10 }], whole);
      const wholeCode = await redeemFor(t, w.mobile, 5, {
        skip_validation: 'true',
        program_id: String(whole),
      });
      for (const points of ['1.5', 1.5]) {
        const r = await expectNoWrites(t, () =>
          reverse(t, { redemptionId: wholeCode, pointsToBeReversed: points }),
        );
        expectV2Error(r, 400, 878);
      }
      expect(await walletBalance(t, w.wallet)).toBe('5.000');
      expect(await reversalCount(t, wholeCode)).toBe(0);
    });

    it('801: zero, negative or non-numeric amount', async () => {
      for (const points of [0, -1, 'abc', '0', '-5']) {
        const res = await expectNoWrites(t, () =>
          reverse(t, { redemptionId: code, pointsToBeReversed: points }),
        );
        expectV2Error(res, 400, 801);
      }
    });

    it('810: more than the redemption has left', async () => {
      const r = await redeemFor(t, c.mobile, 10, query);
      const over = await expectNoWrites(t, () =>
        reverse(t, { redemptionId: r, pointsToBeReversed: 11 }),
      );
      expectV2Error(over, 400, 810);

      const part = await reverse(t, { redemptionId: r, pointsToBeReversed: 4 });
      expect(part.status).toBe(200);
      const rest = await expectNoWrites(t, () =>
        reverse(t, { redemptionId: r, pointsToBeReversed: '6.001' }),
      );
      expectV2Error(rest, 400, 810);
      // Exactly what is left is fine.
      const exact = await reverse(t, { redemptionId: r, pointsToBeReversed: '6' });
      expect(exact.status).toBe(200);
      expect(exact.body).toMatchObject({ pointsToBeReversed: 6, pointsReversed: 6 });
    });

    it('816: the identifier names another customer', async () => {
      for (const value of [DEMO_MOBILE, '910000000999']) {
        const res = await expectNoWrites(t, () =>
          reverse(t, { redemptionId: code, identifier: { type: 'mobile', value } }),
        );
        expectV2Error(res, 400, 816);
      }
      expect(await walletBalance(t, c.wallet)).toBe('90.000');
      expect(await reversalCount(t, code)).toBe(0);
    });
  });

  it('by externalReferenceNumber, with fractional amounts as string and number', async () => {
    const c = await customerWithLots([{ points: 100 }]);
    const ern = `ern-${Date.now()}`;
    const code = await redeemFor(t, c.mobile, '12.35', query, DEMO_TILL, {
      external_reference_number: ern,
    });
    // Unknown fields (as real clients send) are ignored.
    const a = await reverse(t, {
      externalReferenceNumber: ern,
      pointsToBeReversed: '2.5',
      till_id: 7,
      notes: 'returned item',
    });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      redemptionId: code,
      pointsToBeReversed: 2.5,
      pointsReversed: 2.5,
      balance: 90.15,
    });
    const b = await reverse(t, { externalReferenceNumber: ern, pointsToBeReversed: 0.125 });
    expect(b.status).toBe(200);
    expect(b.body).toMatchObject({ pointsReversed: 0.125, balance: 90.275 });
    const rest = await reverse(t, { redemptionId: code });
    expect(rest.body).toMatchObject({ pointsToBeReversed: 9.725, balance: 100 });
    expect(await walletBalance(t, c.wallet)).toBe('100.000');
    await expectLedgerOk(t);
  });

  it('Idempotency-Key: the same key twice replays the same body and reverses once', async () => {
    const c = await customerWithLots([{ points: 100 }]);
    const code = await redeemFor(t, c.mobile, 10, query);
    const key = `rev-${code}`;
    const body = { redemptionId: code, pointsToBeReversed: 3 };
    const first = await reverse(t, body, DEMO_TILL, { 'Idempotency-Key': key });
    const second = await reverse(t, body, DEMO_TILL, { 'Idempotency-Key': key });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(first.body).toMatchObject({ pointsReversed: 3, balance: 93 });
    expect(await reversalCount(t, code)).toBe(1);
    expect(await walletBalance(t, c.wallet)).toBe('93.000');

    // Same key, different request: refused, nothing written.
    const changed = await expectNoWrites(t, () =>
      reverse(t, { ...body, pointsToBeReversed: 4 }, DEMO_TILL, { 'Idempotency-Key': key }),
    );
    expect(changed.status).toBe(422);
    expect((changed.body as V2ErrorBody).errors).toHaveLength(1);

    // Another key is another request.
    const other = await reverse(t, body, DEMO_TILL, { 'Idempotency-Key': `${key}-2` });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ pointsReversed: 3, balance: 96 });
    expect(await reversalCount(t, code)).toBe(2);
  });

  it('Idempotency-Key: an error is replayed too, without writing', async () => {
    const key = `rev-missing-${Date.now()}`;
    const first = await reverse(t, { redemptionId: 'zzzzzz' }, DEMO_TILL, {
      'Idempotency-Key': key,
    });
    expectV2Error(first, 404, 902);
    const second = await expectNoWrites(t, () =>
      reverse(t, { redemptionId: 'zzzzzz' }, DEMO_TILL, { 'Idempotency-Key': key }),
    );
    expect(second.status).toBe(404);
    expect(second.text).toBe(first.text);
  });

  it('a group redemption is reversed into the group wallet', async () => {
    const primary = await makeCustomer(t, [{ points: 7, program_id: rev }]);
    const g = await admin(t, 'post', '/admin/groups', {
      external_id: `rev-group-${primary.id}`,
      primary_customer_id: primary.id,
    });
    expect(g.status).toBe(201);
    const groupId = (g.body as { id: number }).id;
    await credit(t, { group_id: groupId, program_id: rev, points: 100 });

    const code = await redeemFor(t, primary.mobile, 25, {
      ...query,
      user_group2_id: String(groupId),
    });
    expect(await groupBalanceOf(t, groupId, rev)).toBe('75.000');
    expect(await balanceOf(t, primary.id, rev)).toBe('7.000');

    const res = await reverse(t, { redemptionId: code });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      orgId: demoOrg,
      customerId: primary.id,
      redemptionId: code,
      pointsToBeReversed: 25,
      pointsReversed: 25,
      balance: 100,
    });
    const { rows } = await t.pg.query<{ balance: string }>(
      'SELECT balance::text FROM wallet WHERE group_id = $1 AND program_id = $2',
      [groupId, rev],
    );
    expect(rows).toEqual([{ balance: '100.000' }]);
    // The member's own wallet is untouched.
    expect(await balanceOf(t, primary.id, rev)).toBe('7.000');
    await expectLedgerOk(t);
  });

  it('malformed JSON gets the v2 error envelope with code 400', async () => {
    const res = await expectNoWrites(t, () => reverse(t, '{"redemptionId":'));
    expectV2Error(res, 400, 400);
  });
});
