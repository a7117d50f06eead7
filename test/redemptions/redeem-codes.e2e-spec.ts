import { admin, balanceOf, makeCustomer, redeem, writeCounts } from '../support/api';
import {
  createCustomer,
  createProgram,
  credit,
  customerGet,
  defaultProgramId,
  expectFailedItem,
  expectNoWrites,
  groupBalanceOf,
  itemOf,
  itemsOf,
  statusOf,
} from '../support/redeem-helpers';
import { startTestApp, TestApp } from '../support/test-app';

const SKIP = { skip_validation: 'true' };
const FAILED = { success: 'false', code: 500, message: expect.any(String) };
const SUCCESS = { success: 'true', code: 200, message: 'Success' };

describe('POST /v1.1/points/redeem: item status codes', () => {
  let t: TestApp;
  let defaultId: number;
  let max50: number;
  let min5: number;
  let step5: number;
  let whole: number;
  let frac: number;

  beforeAll(async () => {
    t = await startTestApp('redeem_codes');
    defaultId = await defaultProgramId(t);
    max50 = await createProgram(t, { name: 'Max50', max_redeem: 50 });
    min5 = await createProgram(t, { name: 'Min5', min_redeem: 5 });
    step5 = await createProgram(t, { name: 'Step5', redeem_multiple_of: 5 });
    frac = await createProgram(t, { name: 'Frac', min_redeem: 0, redeem_multiple_of: null });
    whole = await createProgram(t, {
      name: 'Whole',
      decimal_places: 0,
      redeem_multiple_of: null,
      min_redeem: 0,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Redeems one item that must fail with `code` and change nothing. */
  async function expectRejected(
    body: Record<string, unknown>,
    code: number,
    query: Record<string, string> = SKIP,
  ) {
    const res = await expectNoWrites(t, () => redeem(t, body, query));
    expect(res.status).toBe(200);
    expect(statusOf(res)).toEqual(FAILED);
    const item = itemOf(res);
    expectFailedItem(item, code);
    return item;
  }

  describe('success', () => {
    it('800: redeems, answers Capillary wire types, and writes redemption, allocation, ledger', async () => {
      const c = await makeCustomer(t, [{ points: 100, program_id: frac }]);
      const before = await writeCounts(t);
      const res = await redeem(
        t,
        {
          points_redeemed: 10.5,
          customer: { mobile: c.mobile },
          transaction_number: 'bill-1001',
          notes: 'paid part of bill by points',
          redemption_purpose: '',
        },
        { ...SKIP, program_id: String(frac) },
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(statusOf(res)).toEqual(SUCCESS);
      const item = itemOf(res);
      expect(item).toMatchObject({
        mobile: c.mobile,
        email: '',
        external_id: '',
        user_id: String(c.id),
        points_redeemed: '10.5',
        redemption_purpose: '',
        redeemed_value: 10.5,
        redeemed_local_value: 10.5,
        balance: 89.5,
        item_status: { success: 'true', code: 800, message: 'Points Redeemed' },
      });
      expect(item.redemption_id).toMatch(/^[A-Za-z0-9]{6}$/);
      // Capillary's wire types: string booleans, numeric codes, string points_redeemed.
      expect(typeof statusOf(res).success).toBe('string');
      expect(typeof statusOf(res).code).toBe('number');
      expect(typeof item.item_status.code).toBe('number');
      expect(typeof item.points_redeemed).toBe('string');
      expect(typeof item.balance).toBe('number');
      expect(typeof item.redeemed_value).toBe('number');
      expect(item.side_effects.effect).toHaveLength(1);
      expect(item.side_effects.effect[0]).toMatchObject({
        case_value: 'false',
        num_points: 10.5,
        currency_value: 10.5,
        redeemed_on_bill_number: 'bill-1001',
        redeemed_on_bill_id: -1,
        type: 'points',
      });

      expect(await balanceOf(t, c.id, frac)).toBe('89.500');
      const after = await writeCounts(t);
      expect(after.redemption).toBe(before.redemption + 1);
      expect(after.redemption_allocation).toBe(before.redemption_allocation + 1);
      expect(after.ledger_entry).toBe(before.ledger_entry + 1);
      const { rows } = await t.pg.query<{ points: string; transaction_number: string }>(
        'SELECT points::text, transaction_number FROM redemption WHERE code = $1',
        [item.redemption_id],
      );
      expect(rows).toEqual([{ points: '10.500', transaction_number: 'bill-1001' }]);

      const get = await customerGet(t, { mobile: c.mobile });
      expect(get.body.response.customers.customer[0].loyalty_points).toBe(89.5);
    });

    it('points as a numeric string "10" and as the number 10 are both accepted exactly', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const asString = await redeem(t, { points_redeemed: '10', customer: { mobile: c.mobile } });
      expect(asString.status).toBe(200);
      expect(statusOf(asString)).toEqual(SUCCESS);
      expect(itemOf(asString)).toMatchObject({
        points_redeemed: '10',
        balance: 90,
        item_status: { code: 800 },
      });
      const asNumber = await redeem(t, { points_redeemed: 10, customer: { mobile: c.mobile } });
      expect(asNumber.status).toBe(200);
      expect(itemOf(asNumber)).toMatchObject({
        points_redeemed: '10',
        balance: 80,
        item_status: { code: 800 },
      });
      expect(await balanceOf(t, c.id)).toBe('80.000');
    });

    it('several identifiers: mobile wins over external_id (first non-empty in contract order)', async () => {
      const first = await makeCustomer(t, [{ points: 100 }]);
      const second = await createCustomer(t, { external_id: `ext-${first.id}-b` });
      await credit(t, { customer_id: second.id, points: 100 });
      const res = await redeem(t, {
        points_redeemed: 7,
        customer: { mobile: first.mobile, external_id: `ext-${first.id}-b` },
      });
      expect(res.status).toBe(200);
      expect(itemOf(res)).toMatchObject({
        user_id: String(first.id),
        mobile: first.mobile,
        balance: 93,
        item_status: { code: 800 },
      });
      expect(await balanceOf(t, first.id)).toBe('93.000');
      expect(await balanceOf(t, second.id)).toBe('100.000');
    });

    it('empty strings are absent: "email":"" with a mobile redeems by mobile', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const res = await redeem(t, {
        points_redeemed: 5,
        customer: { email: '', mobile: c.mobile, external_id: '' },
        notes: '',
        validation_code: '',
        redemption_time: '',
        external_reference_number: '',
      });
      expect(res.status).toBe(200);
      expect(statusOf(res)).toEqual(SUCCESS);
      expect(itemOf(res)).toMatchObject({ user_id: String(c.id), item_status: { code: 800 } });
      expect(await balanceOf(t, c.id)).toBe('95.000');
    });

    it('unknown body fields are ignored (discount, till_id, billing_time)', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const res = await redeem(t, {
        points_redeemed: 5,
        customer: { mobile: c.mobile, loyalty_type: 'loyalty' },
        discount: 5,
        till_id: 'x',
        billing_time: '2024-03-13 18:02:34',
      });
      expect(res.status).toBe(200);
      expect(statusOf(res)).toEqual(SUCCESS);
      expect(itemOf(res).item_status.code).toBe(800);
      expect(await balanceOf(t, c.id)).toBe('95.000');
    });

    it('transaction_number may arrive as a number and is stored as its literal', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const res = await redeem(t, {
        points_redeemed: 5,
        customer: { mobile: c.mobile },
        transaction_number: 1001,
      });
      expect(res.status).toBe(200);
      const item = itemOf(res);
      expect(item.item_status.code).toBe(800);
      expect(item.side_effects.effect[0].redeemed_on_bill_number).toBe('1001');
      const { rows } = await t.pg.query<{ transaction_number: string }>(
        'SELECT transaction_number FROM redemption WHERE code = $1',
        [item.redemption_id],
      );
      expect(rows).toEqual([{ transaction_number: '1001' }]);
    });

    it('a redeem body with a single object (not an array) also works; program limits at the edge pass', async () => {
      const c = await makeCustomer(t, [{ points: 100, program_id: max50 }]);
      const res = await redeem(
        t,
        { points_redeemed: 50, customer: { mobile: c.mobile } },
        { ...SKIP, program_id: String(max50) },
      );
      expect(res.status).toBe(200);
      expect(itemOf(res)).toMatchObject({ balance: 50, item_status: { code: 800 } });
      expect(await balanceOf(t, c.id, max50)).toBe('50.000');
    });
  });

  describe('failures, each changing nothing', () => {
    it('801: points missing, zero, negative, not a number', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      for (const points of [undefined, 0, '0', -5, '-5', 'abc', '', true, { n: 1 }]) {
        const body: Record<string, unknown> = { customer: { mobile: c.mobile } };
        if (points !== undefined) body.points_redeemed = points;
        const item = await expectRejected(body, 801);
        expect(item.points_redeemed).toBe('');
      }
      expect(await balanceOf(t, c.id)).toBe('100.000');
    });

    it('802: customer identifier missing, empty or malformed', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      for (const customer of [undefined, {}, { mobile: '' }, { email: '', mobile: '  ' }, 'x']) {
        const body: Record<string, unknown> = { points_redeemed: 10 };
        if (customer !== undefined) body.customer = customer;
        const item = await expectRejected(body, 802);
        expect(item.user_id).toBe('');
      }
      expect(await balanceOf(t, c.id)).toBe('100.000');
    });

    it('803: more points than the balance', async () => {
      const c = await makeCustomer(t, [{ points: 10 }]);
      const item = await expectRejected(
        { points_redeemed: 11, customer: { mobile: c.mobile } },
        803,
      );
      expect(item.user_id).toBe(String(c.id));
      expect(item.points_redeemed).toBe('11');
      expect(await balanceOf(t, c.id)).toBe('10.000');
    });

    it('803: a customer with no wallet in the program', async () => {
      const c = await makeCustomer(t);
      await expectRejected({ points_redeemed: 1, customer: { mobile: c.mobile } }, 803);
      expect(await balanceOf(t, c.id)).toBe('0');
    });

    it('807: not a multiple of the program step', async () => {
      const c = await makeCustomer(t, [{ points: 100, program_id: step5 }]);
      await expectRejected({ points_redeemed: 7, customer: { mobile: c.mobile } }, 807, {
        ...SKIP,
        program_id: String(step5),
      });
      expect(await balanceOf(t, c.id, step5)).toBe('100.000');
      // 10 is a multiple of 5 and passes.
      const ok = await redeem(
        t,
        { points_redeemed: 10, customer: { mobile: c.mobile } },
        { ...SKIP, program_id: String(step5) },
      );
      expect(itemOf(ok).item_status.code).toBe(800);
      expect(await balanceOf(t, c.id, step5)).toBe('90.000');
    });

    it('808: the org requires an OTP and none is given (no skip_validation)', async () => {
      const config = await admin(t, 'get', '/admin/config');
      expect(config.body.otp_required).toBe(true);
      const c = await makeCustomer(t, [{ points: 100 }]);
      const item = await expectRejected(
        { points_redeemed: 10, customer: { mobile: c.mobile } },
        808,
        {},
      );
      expect(item.user_id).toBe(String(c.id));
      expect(await balanceOf(t, c.id)).toBe('100.000');
    });

    it('808: a wrong validation code only counts a failed attempt', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      // A live code of this customer (its hash matches no code a till could type).
      const { rows } = await t.pg.query<{ id: string }>(
        `INSERT INTO validation_code (org_id, customer_id, program_id, code_hash, expires_at, created_at)
         SELECT org_id, id, $2, 'no-code-hashes-to-this', now() + interval '10 minutes', now()
           FROM customer WHERE id = $1 RETURNING id`,
        [c.id, defaultId],
      );
      const before = await writeCounts(t);
      const res = await redeem(
        t,
        { points_redeemed: 10, customer: { mobile: c.mobile }, validation_code: 'WRONG1' },
        {},
      );
      expect(res.status).toBe(200);
      expect(statusOf(res)).toEqual(FAILED);
      expectFailedItem(itemOf(res), 808);
      expect(await writeCounts(t)).toEqual(before);
      expect(await balanceOf(t, c.id)).toBe('100.000');
      const code = await t.pg.query<{ failed_attempts: number; used_at: Date | null }>(
        'SELECT failed_attempts, used_at FROM validation_code WHERE id = $1',
        [rows[0].id],
      );
      expect(code.rows[0]).toEqual({ failed_attempts: 1, used_at: null });
    });

    it('809: customer marked as fraud', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const patch = await admin(t, 'patch', `/admin/customers/${c.id}`, { fraud_status: 'MARKED' });
      expect(patch.status).toBe(200);
      const item = await expectRejected(
        { points_redeemed: 10, customer: { mobile: c.mobile } },
        809,
      );
      expect(item.user_id).toBe(String(c.id));
      expect(await balanceOf(t, c.id)).toBe('100.000');
    });

    it('816: customer not found in this org (also a customer of org other)', async () => {
      const item = await expectRejected(
        { points_redeemed: 10, customer: { mobile: '910000000000' } },
        816,
      );
      expect(item.user_id).toBe('');
      expect(item.mobile).toBe('910000000000');
      // The seeded customer of org "other" is invisible to a demo till.
      await expectRejected({ points_redeemed: 10, customer: { mobile: '919900000002' } }, 816);
    });

    it('819: above the program maximum', async () => {
      const c = await makeCustomer(t, [{ points: 100, program_id: max50 }]);
      await expectRejected({ points_redeemed: 51, customer: { mobile: c.mobile } }, 819, {
        ...SKIP,
        program_id: String(max50),
      });
      await expectRejected({ points_redeemed: '50.001', customer: { mobile: c.mobile } }, 819, {
        ...SKIP,
        program_id: String(max50),
      });
      expect(await balanceOf(t, c.id, max50)).toBe('100.000');
    });

    it('821: below the program minimum', async () => {
      const c = await makeCustomer(t, [{ points: 100, program_id: min5 }]);
      await expectRejected({ points_redeemed: 4, customer: { mobile: c.mobile } }, 821, {
        ...SKIP,
        program_id: String(min5),
      });
      await expectRejected({ points_redeemed: '4.999', customer: { mobile: c.mobile } }, 821, {
        ...SKIP,
        program_id: String(min5),
      });
      expect(await balanceOf(t, c.id, min5)).toBe('100.000');
      // The seed's default program has a minimum of 1 (and step 1).
      await expectRejected({ points_redeemed: '0.5', customer: { mobile: c.mobile } }, 821);
    });

    it('859: malformed redemption_time', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      for (const time of [
        'yesterday',
        '2024-13-01 10:00:00',
        '2024-02-30 10:00:00',
        '2024-03-13',
      ]) {
        await expectRejected(
          { points_redeemed: 10, customer: { mobile: c.mobile }, redemption_time: time },
          859,
        );
      }
      expect(await balanceOf(t, c.id)).toBe('100.000');
      const ok = await redeem(t, {
        points_redeemed: 10,
        customer: { mobile: c.mobile },
        redemption_time: '2024-03-13 18:02:34',
      });
      expect(itemOf(ok).item_status.code).toBe(800);
    });

    it('878: more decimals than 3, or than the program allows', async () => {
      const c = await makeCustomer(t, [{ points: 100 }, { points: 100, program_id: whole }]);
      await expectRejected({ points_redeemed: '1.1111', customer: { mobile: c.mobile } }, 878);
      await expectRejected({ points_redeemed: 1.1111, customer: { mobile: c.mobile } }, 878);
      await expectRejected({ points_redeemed: 1.5, customer: { mobile: c.mobile } }, 878, {
        ...SKIP,
        program_id: String(whole),
      });
      expect(await balanceOf(t, c.id)).toBe('100.000');
      expect(await balanceOf(t, c.id, whole)).toBe('100.000');
      const ok = await redeem(
        t,
        { points_redeemed: 2, customer: { mobile: c.mobile } },
        { ...SKIP, program_id: String(whole) },
      );
      expect(itemOf(ok)).toMatchObject({ balance: 98, item_status: { code: 800 } });
    });

    it('744: external_reference_number already used in this org (a retry)', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const body = {
        points_redeemed: 10,
        customer: { mobile: c.mobile },
        external_reference_number: `pos7-${c.id}`,
      };
      const first = await redeem(t, body);
      expect(itemOf(first).item_status.code).toBe(800);
      expect(await balanceOf(t, c.id)).toBe('90.000');
      const item = await expectRejected(body, 744);
      expect(item.user_id).toBe(String(c.id));
      // Also from another customer of the same org.
      const other = await makeCustomer(t, [{ points: 100 }]);
      await expectRejected({ ...body, customer: { mobile: other.mobile } }, 744);
      expect(await balanceOf(t, c.id)).toBe('90.000');
      expect(await balanceOf(t, other.id)).toBe('100.000');
    });

    it('1101: unknown program_id (nonexistent, of another org, not a number)', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const body = { points_redeemed: 10, customer: { mobile: c.mobile } };
      for (const programId of ['999999', 'abc', '-1']) {
        await expectRejected(body, 1101, { ...SKIP, program_id: programId });
      }
      // Org other's default program exists but is not demo's.
      const { rows } = await t.pg.query<{ id: number }>(
        `SELECT p.id FROM program p JOIN org o ON o.id = p.org_id WHERE o.code = 'other'`,
      );
      await expectRejected(body, 1101, { ...SKIP, program_id: String(rows[0].id) });
      expect(await balanceOf(t, c.id)).toBe('100.000');
      // The default program by id works.
      const ok = await redeem(t, body, { ...SKIP, program_id: String(defaultId) });
      expect(itemOf(ok).item_status.code).toBe(800);
    });

    it('860: custom field not defined for the org; a defined one succeeds', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      await expectRejected(
        {
          points_redeemed: 10,
          customer: { mobile: c.mobile },
          custom_fields: { field: [{ name: 'undefined_field', value: 'x' }] },
        },
        860,
      );
      expect(await balanceOf(t, c.id)).toBe('100.000');
      const created = await admin(t, 'post', '/admin/custom-fields', { name: 'channel' });
      expect(created.status).toBe(201);
      const ok = await redeem(t, {
        points_redeemed: 10,
        customer: { mobile: c.mobile },
        custom_fields: { field: [{ name: 'channel', value: 'POS' }] },
      });
      expect(statusOf(ok)).toEqual(SUCCESS);
      const item = itemOf(ok);
      expect(item.item_status.code).toBe(800);
      const { rows } = await t.pg.query<{ custom_fields: unknown }>(
        'SELECT custom_fields FROM redemption WHERE code = $1',
        [item.redemption_id],
      );
      expect(rows[0].custom_fields).toEqual([{ name: 'channel', value: 'POS' }]);
      // A bare array is accepted too, and an undefined name in it still fails.
      await expectRejected(
        {
          points_redeemed: 10,
          customer: { mobile: c.mobile },
          custom_fields: [
            { name: 'channel', value: 'POS' },
            { name: 'nope', value: '1' },
          ],
        },
        860,
      );
      expect(await balanceOf(t, c.id)).toBe('90.000');
    });

    it('861: a string field longer than 200 characters', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      await expectRejected(
        {
          points_redeemed: 10,
          customer: { mobile: c.mobile },
          transaction_number: 'x'.repeat(201),
        },
        861,
      );
      await expectRejected(
        {
          points_redeemed: 10,
          customer: { mobile: c.mobile },
          external_reference_number: 'e'.repeat(201),
        },
        861,
      );
      expect(await balanceOf(t, c.id)).toBe('100.000');
      const ok = await redeem(t, {
        points_redeemed: 10,
        customer: { mobile: c.mobile },
        transaction_number: 'x'.repeat(200),
      });
      expect(itemOf(ok).item_status.code).toBe(800);
    });
  });

  describe('521: wallet locked past LOCK_TIMEOUT', () => {
    let t2: TestApp;

    beforeAll(async () => {
      t2 = await startTestApp('redeem521', { LOCK_TIMEOUT_MS: '300' });
    });
    afterAll(async () => {
      await t2.close();
    });

    it('521 while another transaction holds the wallet row; then succeeds once released', async () => {
      const c = await makeCustomer(t2, [{ points: 100 }]);
      const blocker = await t2.pg.connect();
      try {
        await blocker.query('BEGIN');
        const locked = await blocker.query(
          'SELECT id FROM wallet WHERE customer_id = $1 FOR UPDATE',
          [c.id],
        );
        expect(locked.rowCount).toBe(1);
        const before = await writeCounts(t2);
        const started = Date.now();
        const res = await redeem(t2, { points_redeemed: 10, customer: { mobile: c.mobile } });
        expect(Date.now() - started).toBeLessThan(5000);
        expect(res.status).toBe(200);
        expect(statusOf(res)).toEqual(FAILED);
        expectFailedItem(itemOf(res), 521);
        expect(itemOf(res).user_id).toBe(String(c.id));
        expect(await writeCounts(t2)).toEqual(before);
      } finally {
        await blocker.query('ROLLBACK');
        blocker.release();
      }
      expect(await balanceOf(t2, c.id)).toBe('100.000');
      const ok = await redeem(t2, { points_redeemed: 10, customer: { mobile: c.mobile } });
      expect(itemOf(ok)).toMatchObject({ balance: 90, item_status: { code: 800 } });
    });
  });

  describe('groups', () => {
    let primary: { id: number; mobile: string };
    let member: { id: number; mobile: string };
    let outsider: { id: number; mobile: string };
    let groupId: number;
    const externalId = 'family-1';

    beforeAll(async () => {
      primary = await makeCustomer(t, [{ points: 10 }]);
      member = await makeCustomer(t, [{ points: 10 }]);
      outsider = await makeCustomer(t, [{ points: 10 }]);
      const res = await admin(t, 'post', '/admin/groups', {
        external_id: externalId,
        primary_customer_id: primary.id,
        member_ids: [member.id],
      });
      expect(res.status).toBe(201);
      groupId = (res.body as { id: number }).id;
      await credit(t, { group_id: groupId, points: 1000 });
    });

    it('800: a member redeems from the group wallet; balance is the group wallet', async () => {
      const before = await groupBalanceOf(t, groupId, defaultId);
      expect(before).toBe('1000.000');
      const res = await redeem(
        t,
        { points_redeemed: 100, customer: { mobile: member.mobile } },
        { ...SKIP, user_group2_external_id: externalId },
      );
      expect(res.status).toBe(200);
      expect(statusOf(res)).toEqual(SUCCESS);
      const item = itemOf(res);
      expect(item).toMatchObject({
        user_id: String(member.id),
        balance: 900,
        item_status: { code: 800 },
      });
      expect(await groupBalanceOf(t, groupId, defaultId)).toBe('900.000');
      // The member's own wallet is untouched.
      expect(await balanceOf(t, member.id)).toBe('10.000');
      const { rows } = await t.pg.query<{ group_id: number; customer_id: number }>(
        'SELECT group_id, customer_id FROM redemption WHERE code = $1',
        [item.redemption_id],
      );
      expect(rows).toEqual([{ group_id: groupId, customer_id: member.id }]);
    });

    it('800: the group is found by user_group2_id, primary_user_id, and primary identifier', async () => {
      const byId = await redeem(
        t,
        { points_redeemed: 10, customer: { mobile: primary.mobile } },
        { ...SKIP, user_group2_id: String(groupId) },
      );
      expect(itemOf(byId)).toMatchObject({ balance: 890, item_status: { code: 800 } });
      const byPrimaryId = await redeem(
        t,
        { points_redeemed: 10, customer: { mobile: member.mobile } },
        { ...SKIP, user_group2_primary_user_id: String(primary.id) },
      );
      expect(itemOf(byPrimaryId)).toMatchObject({ balance: 880, item_status: { code: 800 } });
      const byIdentifier = await redeem(
        t,
        { points_redeemed: 10, customer: { mobile: member.mobile } },
        {
          ...SKIP,
          user_group2_primary_user_identifier_type: 'mobile',
          user_group2_primary_user_identifier_value: primary.mobile,
        },
      );
      expect(itemOf(byIdentifier)).toMatchObject({ balance: 870, item_status: { code: 800 } });
      expect(await groupBalanceOf(t, groupId, defaultId)).toBe('870.000');
      expect(await balanceOf(t, primary.id)).toBe('10.000');
    });

    it('1632: unknown group', async () => {
      const selectors: Record<string, string>[] = [
        { user_group2_external_id: 'no-such-group' },
        { user_group2_id: '999999' },
        { user_group2_primary_user_id: String(outsider.id) },
        {
          user_group2_primary_user_identifier_type: 'mobile',
          user_group2_primary_user_identifier_value: '910000000001',
        },
      ];
      for (const query of selectors) {
        const item = await expectRejected(
          { points_redeemed: 10, customer: { mobile: member.mobile } },
          1632,
          { ...SKIP, ...query },
        );
        expect(item.user_id).toBe(String(member.id));
      }
      expect(await groupBalanceOf(t, groupId, defaultId)).toBe('870.000');
    });

    it('1632: the customer is not a member of the group', async () => {
      await expectRejected({ points_redeemed: 10, customer: { mobile: outsider.mobile } }, 1632, {
        ...SKIP,
        user_group2_external_id: externalId,
      });
      expect(await groupBalanceOf(t, groupId, defaultId)).toBe('870.000');
      expect(await balanceOf(t, outsider.id)).toBe('10.000');
    });

    it('803: more than the group wallet holds', async () => {
      await expectRejected({ points_redeemed: 871, customer: { mobile: member.mobile } }, 803, {
        ...SKIP,
        user_group2_external_id: externalId,
      });
      expect(await groupBalanceOf(t, groupId, defaultId)).toBe('870.000');
    });

    it('828: group redemption disabled', async () => {
      const group = await createCustomer(t, { external_id: `g-disabled-primary-${groupId}` });
      const res = await admin(t, 'post', '/admin/groups', {
        external_id: 'family-disabled',
        primary_customer_id: group.id,
      });
      expect(res.status).toBe(201);
      const disabledId = (res.body as { id: number }).id;
      await credit(t, { group_id: disabledId, points: 100 });
      const patch = await admin(t, 'patch', `/admin/groups/${disabledId}`, {
        redemption_enabled: false,
      });
      expect(patch.status).toBe(200);
      expect(patch.body.redemption_enabled).toBe(false);
      await expectRejected(
        { points_redeemed: 10, customer: { external_id: `g-disabled-primary-${groupId}` } },
        828,
        { ...SKIP, user_group2_external_id: 'family-disabled' },
      );
      expect(await groupBalanceOf(t, disabledId, defaultId)).toBe('100.000');
    });

    it('3316: org requires group redemption and the payload is not a group redemption', async () => {
      const on = await admin(t, 'patch', '/admin/config', {
        enable_group_programs_redemption: true,
      });
      expect(on.status).toBe(200);
      try {
        await expectRejected({ points_redeemed: 10, customer: { mobile: member.mobile } }, 3316);
        expect(await balanceOf(t, member.id)).toBe('10.000');
        // A group redemption is still fine.
        const ok = await redeem(
          t,
          { points_redeemed: 10, customer: { mobile: member.mobile } },
          { ...SKIP, user_group2_external_id: externalId },
        );
        expect(itemOf(ok)).toMatchObject({ balance: 860, item_status: { code: 800 } });
      } finally {
        const off = await admin(t, 'patch', '/admin/config', {
          enable_group_programs_redemption: false,
        });
        expect(off.status).toBe(200);
      }
    });
  });

  describe('batches', () => {
    it('mixed batch: array in request order, status 201, each item in its own transaction', async () => {
      const a = await makeCustomer(t, [{ points: 100 }]);
      const b = await makeCustomer(t, [{ points: 5 }]);
      const before = await writeCounts(t);
      const res = await redeem(t, [
        { points_redeemed: 10, customer: { mobile: a.mobile } },
        { points_redeemed: 10, customer: { mobile: '910000000002' } },
        { points_redeemed: 10, customer: { mobile: b.mobile } },
        { points_redeemed: '20', customer: { mobile: a.mobile } },
      ]);
      expect(res.status).toBe(200);
      expect(statusOf(res)).toEqual({
        success: 'false',
        code: 201,
        message: expect.any(String),
      });
      const items = itemsOf(res);
      expect(items.map((i) => i.item_status.code)).toEqual([800, 816, 803, 800]);
      expect(items[0]).toMatchObject({ user_id: String(a.id), balance: 90, points_redeemed: '10' });
      expectFailedItem(items[1], 816);
      expectFailedItem(items[2], 803);
      expect(items[2].user_id).toBe(String(b.id));
      expect(items[3]).toMatchObject({ user_id: String(a.id), balance: 70, points_redeemed: '20' });
      expect(items[0].redemption_id).not.toBe(items[3].redemption_id);
      expect(await balanceOf(t, a.id)).toBe('70.000');
      expect(await balanceOf(t, b.id)).toBe('5.000');
      const after = await writeCounts(t);
      expect(after.redemption).toBe(before.redemption + 2);
    });

    it('all items succeed: status 200 with an array', async () => {
      const a = await makeCustomer(t, [{ points: 100 }]);
      const res = await redeem(t, [
        { points_redeemed: 1, customer: { mobile: a.mobile } },
        { points_redeemed: 2, customer: { mobile: a.mobile } },
      ]);
      expect(res.status).toBe(200);
      expect(statusOf(res)).toEqual(SUCCESS);
      expect(itemsOf(res).map((i) => [i.item_status.code, i.balance])).toEqual([
        [800, 99],
        [800, 97],
      ]);
    });

    it('all items fail: status 500 with an array, nothing written', async () => {
      const a = await makeCustomer(t, [{ points: 1 }]);
      const res = await expectNoWrites(t, () =>
        redeem(t, [
          { points_redeemed: 2, customer: { mobile: a.mobile } },
          { points_redeemed: 0, customer: { mobile: a.mobile } },
        ]),
      );
      expect(res.status).toBe(200);
      expect(statusOf(res)).toEqual(FAILED);
      expect(itemsOf(res).map((i) => i.item_status.code)).toEqual([803, 801]);
    });

    it('MAX_BATCH + 1 items: HTTP 400 with request-level 1060, nothing written', async () => {
      const a = await makeCustomer(t, [{ points: 100 }]);
      const items = Array.from({ length: 21 }, () => ({
        points_redeemed: 1,
        customer: { mobile: a.mobile },
      }));
      const res = await expectNoWrites(t, () => redeem(t, items));
      expect(res.status).toBe(400);
      expect(statusOf(res)).toMatchObject({ success: 'false', code: 1060 });
      expect(await balanceOf(t, a.id)).toBe('100.000');
      // Exactly MAX_BATCH is fine.
      const ok = await redeem(t, items.slice(0, 20));
      expect(ok.status).toBe(200);
      expect(statusOf(ok)).toEqual(SUCCESS);
      expect(itemsOf(ok)).toHaveLength(20);
      expect(await balanceOf(t, a.id)).toBe('80.000');
    });
  });
});
