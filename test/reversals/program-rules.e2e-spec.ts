import { admin, balanceOf, makeCustomer } from '../support/api';
import { createProgram } from '../support/redeem-helpers';
import {
  expectLedgerOk,
  expectV2Error,
  redeemFor,
  reversalCount,
  reverse,
  ReverseBody,
} from '../support/reversal-helpers';
import { startTestApp, TestApp } from '../support/test-app';

const SKIP = { skip_validation: 'true' };

/**
 * A reversal keeps to its program's step: on a whole-point program no fraction comes back,
 * and no redemption splits into an unbounded number of reversals (docs/security.md).
 */
describe('reversals keep to the program: whole steps, at most 100 per redemption', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('reversal-program-rules');
  });
  afterAll(async () => {
    await t.close();
  });

  it('a thousandth of a point on a whole-point program is 811, in either spelling, and changes nothing', async () => {
    // The demo org's default program: min_redeem 1, redeem_multiple_of 1.
    const c = await makeCustomer(t, [{ points: 100 }]);
    const code = await redeemFor(t, c.mobile, 31, SKIP);
    for (const points of [0.001, '1e-3', '0.001', 2.5]) {
      const res = await reverse(t, { redemptionId: code, pointsToBeReversed: points });
      expectV2Error(res, 400, 811);
    }
    expect(await balanceOf(t, c.id)).toBe('69.000');
    expect(await reversalCount(t, code)).toBe(0);

    const whole = await reverse(t, { redemptionId: code, pointsToBeReversed: 30 });
    expect(whole.status).toBe(200);
    expect((whole.body as ReverseBody).balance).toBe(99);
    // The rest is always taken at once (here the one point left).
    const rest = await reverse(t, { redemptionId: code });
    expect(rest.status).toBe(200);
    expect(await balanceOf(t, c.id)).toBe('100.000');
    await expectLedgerOk(t);
  });

  it('a partial reversal must leave at least one step of a program counting in fives', async () => {
    const program = await createProgram(t, {
      name: `fives-${Date.now()}`,
      min_redeem: '5',
      redeem_multiple_of: '5',
      decimal_places: 0,
    });
    const c = await makeCustomer(t, [{ points: 100, program_id: program }]);
    const code = await redeemFor(t, c.mobile, 20, { ...SKIP, program_id: String(program) });
    expectV2Error(await reverse(t, { redemptionId: code, pointsToBeReversed: 3 }), 400, 811);
    const ok = await reverse(t, { redemptionId: code, pointsToBeReversed: 15 });
    expect(ok.status).toBe(200);
    expect(await reversalCount(t, code)).toBe(1);
  });

  it('a redemption takes at most 100 reversals: the 100th must be the rest (812, 409), then it is done', async () => {
    const program = await createProgram(t, {
      name: `thousandths-${Date.now()}`,
      min_redeem: '0.001',
      decimal_places: 3,
    });
    const c = await makeCustomer(t, [{ points: 10, program_id: program }]);
    const code = await redeemFor(t, c.mobile, 1, { ...SKIP, program_id: String(program) });
    for (let i = 0; i < 99; i++) {
      const res = await reverse(t, { redemptionId: code, pointsToBeReversed: '0.001' });
      expect(res.status).toBe(200);
    }
    const hundredth = await reverse(t, { redemptionId: code, pointsToBeReversed: '0.001' });
    expectV2Error(hundredth, 409, 812);
    expect(await reversalCount(t, code)).toBe(99);

    const rest = await reverse(t, { redemptionId: code });
    expect(rest.status).toBe(200);
    expect((rest.body as ReverseBody).pointsReversed).toBe(0.901);
    expect(await balanceOf(t, c.id, program)).toBe('10.000');
    expectV2Error(await reverse(t, { redemptionId: code }), 409, 3802);
    expect(await reversalCount(t, code)).toBe(100);
    await expectLedgerOk(t);
  });

  it('the console refuses the same partial reversal with a 400 naming the field', async () => {
    const c = await makeCustomer(t, [{ points: 50 }]);
    const code = await redeemFor(t, c.mobile, 10, SKIP);
    const res = await admin(t, 'post', `/admin/redemptions/${code}/reverse`, { points: '0.5' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('points');
    expect(await reversalCount(t, code)).toBe(0);
  });
});
