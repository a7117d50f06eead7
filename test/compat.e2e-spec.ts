import { createHash } from 'node:crypto';
import request from 'supertest';
import { admin, balanceOf, createTill, makeCustomer, redeem } from './support/api';
import { DEMO_TILL, md5 } from './support/credentials';
import { withConfig } from './support/otp-helpers';
import { groupBalanceOf, itemOf } from './support/redeem-helpers';
import { startTestApp, TestApp } from './support/test-app';

// What real point-of-sale clients send and expect (DESIGN.md section 10), beyond the wire suite.

const SKIP = { skip_validation: 'true' };

describe('compatibility with real clients', () => {
  let t: TestApp;
  let defaultProgram: number;

  beforeAll(async () => {
    t = await startTestApp('compat', { RATE_LIMIT_PER_MINUTE: '100000' });
    const { rows } = await t.pg.query<{ id: number }>(
      `SELECT p.id FROM program p JOIN org o ON o.id = p.org_id WHERE o.code = 'demo' AND p.is_default`,
    );
    defaultProgram = rows[0].id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const makeGroup = async (externalId: string, primaryId: number, points: number) => {
    const g = await admin(t, 'post', '/admin/groups', {
      external_id: externalId,
      primary_customer_id: primaryId,
    });
    expect(g.status).toBe(201);
    const groupId = (g.body as { id: number }).id;
    expect(
      (await admin(t, 'post', '/admin/points/credit', { group_id: groupId, points })).status,
    ).toBe(201);
    return groupId;
  };

  describe('a body with group_redemption: true', () => {
    it('for a customer in no group redeems from their own wallet', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      for (const flag of [true, 'true']) {
        const res = await redeem(
          t,
          { points_redeemed: 10, customer: { mobile: c.mobile }, group_redemption: flag },
          SKIP,
        );
        expect(itemOf(res).item_status.code).toBe(800);
      }
      expect(await balanceOf(t, c.id)).toBe('80.000');
    });

    it('for a customer in exactly one group redeems from that group, as before', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const groupId = await makeGroup(`compat-one-${c.id}`, c.id, 500);
      const res = await redeem(
        t,
        { points_redeemed: 10, customer: { mobile: c.mobile }, group_redemption: true },
        SKIP,
      );
      expect(itemOf(res)).toMatchObject({ balance: 490, item_status: { code: 800 } });
      expect(await groupBalanceOf(t, groupId, defaultProgram)).toBe('490.000');
      expect(await balanceOf(t, c.id)).toBe('100.000');
    });

    it('for a customer in two groups is ambiguous (1632) and spends nothing', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      await makeGroup(`compat-a-${c.id}`, c.id, 50);
      await makeGroup(`compat-b-${c.id}`, c.id, 50);
      const res = await redeem(
        t,
        { points_redeemed: 10, customer: { mobile: c.mobile }, group_redemption: true },
        SKIP,
      );
      expect(itemOf(res).item_status.code).toBe(1632);
      expect(await balanceOf(t, c.id)).toBe('100.000');
    });

    it('for a customer in no group, when the org takes group redemptions only, is 3316', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      await withConfig(t, { enable_group_programs_redemption: true }, async () => {
        const res = await redeem(
          t,
          { points_redeemed: 10, customer: { mobile: c.mobile }, group_redemption: true },
          SKIP,
        );
        expect(itemOf(res).item_status.code).toBe(3316);
      });
      expect(await balanceOf(t, c.id)).toBe('100.000');
    });
  });

  describe('every credential form: MD5 hex (any case), SHA-256 hex, the plain password', () => {
    const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
    const signIn = (user: string, secret: string) =>
      request(t.url)
        .get('/v1.1/customer/get')
        .query({ mobile: '919900000001' })
        .set('Authorization', `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`);

    it('a till created now signs in with each form; a wrong secret in each form is 401', async () => {
      await createTill(t, 'demo.forms', 'forms.pass.1');
      for (const secret of [
        md5('forms.pass.1'),
        md5('forms.pass.1').toUpperCase(),
        sha256('forms.pass.1'),
        sha256('forms.pass.1').toUpperCase(),
        'forms.pass.1',
      ]) {
        expect({ secret, status: (await signIn('demo.forms', secret)).status }).toEqual({
          secret,
          status: 200,
        });
      }
      for (const secret of [md5('forms.pass.2'), sha256('forms.pass.2'), 'forms.pass.2']) {
        const res = await signIn('demo.forms', secret);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Basic realm="points"');
      }
    });

    it('a till whose password was set before SHA-256 verifiers existed refuses that form only', async () => {
      await t.pg.query(
        `UPDATE app_user SET password_hash_sha256 = NULL WHERE username = 'readonly.till'`,
      );
      expect((await signIn('readonly.till', sha256('readonly.pass'))).status).toBe(401);
      expect((await signIn('readonly.till', md5('readonly.pass'))).status).toBe(200);
      expect((await signIn('readonly.till', 'readonly.pass')).status).toBe(200);
    });
  });

  describe('mobile numbers in every shape a cashier types', () => {
    let customerId: number;
    beforeAll(async () => {
      // Created as an operator might type it: stored in the org's one form.
      const created = await admin(t, 'post', '/admin/customers', { mobile: '+91 99333 33333' });
      expect(created.status).toBe(201);
      expect(created.body.mobile).toBe('919933333333');
      customerId = (created.body as { id: number }).id;
      expect(
        (await admin(t, 'post', '/admin/points/credit', { customer_id: customerId, points: 100 }))
          .status,
      ).toBe(201);
    });

    // As they arrive in the query string: %2B is a correctly encoded +, a raw + is a space.
    it.each([
      '919933333333',
      '%2B919933333333',
      '+919933333333',
      '%2B91%2099333%2033333',
      '91-9933-333333',
      '(91)%209933333333',
      '00919933333333',
      '9933333333',
    ])('customer/get?mobile=%s finds the customer', async (shape) => {
      const res = await request(t.url)
        .get(`/v1.1/customer/get?mobile=${shape}`)
        .set('Authorization', DEMO_TILL);
      expect(res.body.response.customers.customer[0]).toMatchObject({
        user_id: String(customerId),
        mobile: '919933333333',
        item_status: { code: 1000 },
      });
    });

    it('a redeem body, a missed call and a group selector in other shapes reach the same customer', async () => {
      const res = await redeem(t, { points_redeemed: 5, customer: { mobile: '9933333333' } }, SKIP);
      expect(itemOf(res)).toMatchObject({
        user_id: String(customerId),
        item_status: { code: 800 },
      });

      expect(
        (await admin(t, 'post', '/admin/missed-calls', { mobile: '(91) 9933-333333' })).status,
      ).toBe(201);
      const byCall = await redeem(
        t,
        { points_redeemed: 5, customer: { mobile: '+91 99333 33333' } },
        { validation_type: 'MISSED_CALL' },
      );
      expect(itemOf(byCall).item_status.code).toBe(800);

      const groupId = await makeGroup('compat-mobile-group', customerId, 50);
      const byGroup = await redeem(
        t,
        { points_redeemed: 5, customer: { mobile: '00919933333333' } },
        {
          ...SKIP,
          user_group2_primary_user_identifier_type: 'mobile',
          user_group2_primary_user_identifier_value: '9933333333',
        },
      );
      expect(itemOf(byGroup)).toMatchObject({ balance: 45, item_status: { code: 800 } });
      expect(await groupBalanceOf(t, groupId, defaultProgram)).toBe('45.000');
      expect(await balanceOf(t, customerId)).toBe('90.000');
    });

    it('invisible marks a copy-paste brings along are ignored: mobiles compare by their digits', async () => {
      for (const mark of ['\u202e', '\u200f', '\u200b']) {
        const res = await request(t.url)
          .get('/v1.1/customer/get')
          .query({ mobile: `${mark}919933333333${mark}` })
          .set('Authorization', DEMO_TILL);
        expect(res.body.response.customers.customer[0].user_id).toBe(String(customerId));
      }
    });

    it("the org's country code and national length are settings of its own", async () => {
      await withConfig(t, { default_country_code: '44', national_number_length: 10 }, async () => {
        const created = await admin(t, 'post', '/admin/customers', { mobile: '07700 900123' });
        expect(created.status).toBe(201);
        // 11 digits: not the national length, so no country code is put before them.
        expect(created.body.mobile).toBe('07700900123');
        const national = await admin(t, 'post', '/admin/customers', { mobile: '7700 900124' });
        expect(national.body.mobile).toBe('447700900124');
      });
    });
  });

  it('answers carry no X-Powered-By header', async () => {
    const res = await request(t.url)
      .get('/v1.1/customer/get')
      .query({ mobile: '919900000001' })
      .set('Authorization', DEMO_TILL);
    expect(res.status).toBe(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('a redemption_time before 2000 or more than a day ahead is refused (859) and spends nothing', async () => {
    const c = await makeCustomer(t, [{ points: 100 }]);
    const inTwoDays = new Date(t.clock.now().getTime() + 2 * 86_400_000)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
    for (const time of ['1999-12-31 23:59:59', '0000-01-01 00:00:00', inTwoDays]) {
      const res = await redeem(
        t,
        { points_redeemed: 1, customer: { mobile: c.mobile }, redemption_time: time },
        SKIP,
      );
      expect({ time, code: itemOf(res).item_status.code }).toEqual({ time, code: 859 });
      expect(itemOf(res).item_status.message).toMatch(/2000-01-01/);
    }
    const inAnHour = new Date(t.clock.now().getTime() + 3600_000)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
    const ok = await redeem(
      t,
      { points_redeemed: 1, customer: { mobile: c.mobile }, redemption_time: inAnHour },
      SKIP,
    );
    expect(itemOf(ok).item_status.code).toBe(800);
    expect(await balanceOf(t, c.id)).toBe('99.000');
  });
});
