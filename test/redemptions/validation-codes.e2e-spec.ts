import { createHash, createHmac } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import request from 'supertest';
import {
  admin,
  balanceOf,
  makeCustomer,
  redeem,
  RedeemItemBody,
  writeCounts,
} from '../support/api';
import {
  codeFromText,
  isRedeemable,
  issueAndRead,
  issueCode,
  issuedOf,
  notificationsOf,
  redeemableOf,
  waitFor,
  withConfig,
} from '../support/otp-helpers';
import {
  createProgram,
  expectFailedItem,
  expectNoWrites,
  itemOf,
  statusOf,
} from '../support/redeem-helpers';
import { startTestApp, TestApp } from '../support/test-app';

const SKIP = { skip_validation: 'true' };
/** No skip_validation: the redemption has to be validated (the seed has otp_required on). */
const VALIDATED = {};
const MISSED_CALL = { validation_type: 'MISSED_CALL' };
const SUCCESS = { success: 'true', code: 200, message: 'Success' };
const FAILED = { success: 'false', code: 500, message: expect.any(String) };
const ISSUED = { success: 'true', code: 200, message: 'Validation Code Issued by SMS' };
/** A mobile no customer of org demo has (makeCustomer's are 13 digits long). */
const UNKNOWN_MOBILE = '918888888888';
const MINUTE = 60_000;

type Customer = { id: number; mobile: string };

/** A redeem item of 10 points for the customer, with a validation code when given. */
function item(c: Customer, code?: string, points: unknown = 10): RedeemItemBody {
  return {
    points_redeemed: points,
    customer: { mobile: c.mobile },
    ...(code === undefined ? {} : { validation_code: code }),
  };
}

/** A code of the OTP alphabet that differs from `code` in every position. */
function wrongCode(code: string, shift = 1): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...code].map((ch) => alphabet[(alphabet.indexOf(ch) + shift) % alphabet.length]).join('');
}

describe('validation codes (OTP), isredeemable and missed calls', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The outbox sender is off here: sent_at stays null and nothing races the assertions.
    t = await startTestApp('validation_codes', { NOTIFICATION_POLL_MS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => {
    t.clock.reset();
  });

  /** Asserts a single-item redemption succeeded and echoed `code` as its validation code. */
  function expectRedeemed(res: request.Response, code = '') {
    expect(res.status).toBe(200);
    expect(statusOf(res)).toEqual(SUCCESS);
    const one = itemOf(res);
    expect(one.item_status).toEqual({ success: 'true', code: 800, message: 'Points Redeemed' });
    expect(one.side_effects.effect).toHaveLength(1);
    // Echoed masked: the response is kept for Idempotency-Key replays.
    expect(one.side_effects.effect[0].validation_code).toBe('*'.repeat(code.length));
    return one;
  }

  /** Runs a single-item redemption that must fail with `code` and write nothing. */
  async function expectRejected(send: () => Promise<request.Response>, code: number) {
    const res = await expectNoWrites(t, send);
    expect(res.status).toBe(200);
    expect(statusOf(res)).toEqual(FAILED);
    expectFailedItem(itemOf(res), code);
    return res;
  }

  async function validationTypeOf(redemptionCode: string | undefined): Promise<string> {
    const { rows } = await t.pg.query<{ validation_type: string }>(
      'SELECT validation_type FROM redemption WHERE code = $1',
      [redemptionCode],
    );
    expect(rows).toHaveLength(1);
    return rows[0].validation_type;
  }

  async function codeRows(customerId: number) {
    const { rows } = await t.pg.query<Record<string, unknown>>(
      'SELECT * FROM validation_code WHERE customer_id = $1 ORDER BY id',
      [customerId],
    );
    return rows;
  }

  describe('issue and redeem', () => {
    it('issues a code that only the outbox carries, redeems with it once, then refuses it (808)', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const res = await issueCode(t, { mobile: c.mobile, points: '10' });
      expect(res.status).toBe(200);
      expect(res.body.response.status).toEqual(SUCCESS);
      expect(issuedOf(res)).toMatchObject({
        mobile: c.mobile,
        user_id: String(c.id),
        points: '10',
        item_status: ISSUED,
      });

      const outbox = await notificationsOf(t, c.id);
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({
        id: expect.anything(),
        channel: 'SMS',
        recipient: c.mobile,
        created_at: expect.any(String),
        sent_at: null,
      });
      expect(outbox[0].text).toMatch(
        /^Your validation code is [A-Z0-9]{6} for redeeming 10 points\. It is valid for 15 minutes\.$/,
      );
      const code = codeFromText(outbox[0].text);
      expect(res.text).not.toContain(code);

      const ok = await redeem(t, item(c, code), VALIDATED);
      const redeemed = expectRedeemed(ok, code);
      expect(redeemed.balance).toBe(90);
      expect(Number(await balanceOf(t, c.id))).toBe(90);
      expect(await validationTypeOf(redeemed.redemption_id)).toBe('SMS');

      // Used up: the same code again is refused and writes nothing.
      await expectRejected(() => redeem(t, item(c, code), VALIDATED), 808);
      expect(Number(await balanceOf(t, c.id))).toBe(90);
    });

    it('a code works only for the customer it was issued to, and none at all is 808', async () => {
      const a = await makeCustomer(t, [{ points: 100 }]);
      const b = await makeCustomer(t, [{ points: 100 }]);
      const codeOfB = await issueAndRead(t, b);
      await expectRejected(() => redeem(t, item(a, codeOfB), VALIDATED), 808);
      await expectRejected(() => redeem(t, item(a), VALIDATED), 808);
      await expectRejected(() => redeem(t, item(a, ''), VALIDATED), 808);
      expect(Number(await balanceOf(t, a.id))).toBe(100);
      expectRedeemed(await redeem(t, item(b, codeOfB), VALIDATED), codeOfB);
    });

    it('the issue endpoint reports 802, 816 and 1101 and writes no code for them', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const cases: [Record<string, string>, number][] = [
        [{ points: '10' }, 802],
        [{ mobile: UNKNOWN_MOBILE, points: '10' }, 816],
        [{ mobile: c.mobile, points: '10', program_id: '999999' }, 1101],
      ];
      for (const [query, code] of cases) {
        const res = await issueCode(t, query);
        expect(res.status).toBe(200);
        expect(res.body.response.status).toEqual(FAILED);
        expect(issuedOf(res).item_status).toEqual({
          success: 'false',
          code,
          message: expect.any(String),
        });
      }
      expect(await codeRows(c.id)).toHaveLength(0);
      expect(await notificationsOf(t, c.id)).toHaveLength(0);
    });
  });

  describe('expiry and config', () => {
    it('a code expires after otp_validity_minutes on the app clock (808)', async () => {
      const fresh = await makeCustomer(t, [{ points: 100 }]);
      const stale = await makeCustomer(t, [{ points: 100 }]);
      await withConfig(t, { otp_validity_minutes: 1 }, async () => {
        const freshCode = await issueAndRead(t, fresh);
        const staleCode = await issueAndRead(t, stale);
        const [message] = await notificationsOf(t, stale.id);
        expect(message.text).toMatch(/valid for 1 minute/);

        t.clock.advance(30_000);
        expectRedeemed(await redeem(t, item(fresh, freshCode), VALIDATED), freshCode);

        t.clock.advance(90_000); // two minutes after issuing
        await expectRejected(() => redeem(t, item(stale, staleCode), VALIDATED), 808);
        expect(Number(await balanceOf(t, stale.id))).toBe(100);
      });
      const config = await admin(t, 'get', '/admin/config');
      expect(config.body.otp_validity_minutes).toBe(15);
    });

    it('PATCH /admin/config validates otp_validity_minutes (1-1440) and refuses unknown fields', async () => {
      const bad: [Record<string, unknown>, string][] = [
        [{ otp_validity_minutes: 0 }, 'otp_validity_minutes'],
        [{ otp_validity_minutes: 1441 }, 'otp_validity_minutes'],
        [{ otp_validity_minutes: 'abc' }, 'otp_validity_minutes'],
        [{ otp_validity_minutes: 2.5 }, 'otp_validity_minutes'],
        [{ no_such_setting: true }, 'no_such_setting'],
      ];
      for (const [body, field] of bad) {
        const res = await admin(t, 'patch', '/admin/config', body);
        expect(res.status).toBe(400);
        const envelope = res.body.response as {
          status: { success: string; code: number };
          errors?: { field: string; message: string }[];
        };
        expect(envelope.status).toMatchObject({ success: 'false', code: 400 });
        expect(envelope.errors).toEqual(
          expect.arrayContaining([{ field, message: expect.any(String) }]),
        );
        for (const e of envelope.errors ?? []) expect(e.message.length).toBeGreaterThan(0);
      }
      const after = await admin(t, 'get', '/admin/config');
      expect(after.status).toBe(200);
      expect(after.body.otp_validity_minutes).toBe(15);

      // The bounds themselves are accepted (and the whole config is answered).
      for (const minutes of [1, 1440]) {
        await withConfig(t, { otp_validity_minutes: minutes }, async () => {
          const res = await admin(t, 'get', '/admin/config');
          expect(res.body).toMatchObject({ otp_validity_minutes: minutes, otp_required: true });
        });
      }
    });
  });

  describe('which codes are live', () => {
    it('any live code of the customer is accepted; a redemption uses up all of them', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const first = await issueAndRead(t, c);
      const second = await issueAndRead(t, c);
      expectRedeemed(await redeem(t, item(c, first), VALIDATED), first);
      await expectRejected(() => redeem(t, item(c, second), VALIDATED), 808);
      const { rows } = await t.pg.query<{ used: boolean }>(
        'SELECT used_at IS NOT NULL AS used FROM validation_code WHERE customer_id = $1',
        [c.id],
      );
      expect(rows).toEqual([{ used: true }, { used: true }]);
    });

    it('a code is for the program it was issued in', async () => {
      const other = await createProgram(t, { name: 'OtpOther' });
      const c = await makeCustomer(t, [{ points: 100 }, { points: 100, program_id: other }]);
      const code = await issueAndRead(t, c, { program_id: String(other) });
      await expectRejected(() => redeem(t, item(c, code), VALIDATED), 808);
      const res = expectRedeemed(
        await redeem(t, item(c, code), { program_id: String(other) }),
        code,
      );
      expect(res.balance).toBe(90);
      expect(Number(await balanceOf(t, c.id))).toBe(100);
    });

    it('otp_length and otp_channel EMAIL: an 8-character code goes to the e-mail address', async () => {
      const mobileOnly = await makeCustomer(t, [{ points: 100 }]);
      const email = `otp.${Date.now()}@example.com`;
      const created = await admin(t, 'post', '/admin/customers', { email });
      expect(created.status).toBe(201);
      const c = { id: (created.body as { id: number }).id };
      const credited = await admin(t, 'post', '/admin/points/credit', {
        customer_id: c.id,
        points: 100,
      });
      expect(credited.status).toBe(201);
      await withConfig(t, { otp_channel: 'EMAIL', otp_length: 8 }, async () => {
        const res = await issueCode(t, { email, points: '10' });
        expect(issuedOf(res).item_status).toEqual({
          success: 'true',
          code: 200,
          message: 'Validation Code Issued by EMAIL',
        });
        const [n] = await notificationsOf(t, c.id);
        expect(n).toMatchObject({ channel: 'EMAIL', recipient: email });
        const code = codeFromText(n.text);
        expect(code).toMatch(/^[A-Z0-9]{8}$/);
        expect(res.text).not.toContain(code);
        const ok = await redeem(
          t,
          { points_redeemed: 10, customer: { email }, validation_code: code },
          VALIDATED,
        );
        expectRedeemed(ok, code);

        // No e-mail address to send to: 876, and nothing is stored.
        const none = await issueCode(t, { mobile: mobileOnly.mobile, points: '10' });
        expect(issuedOf(none).item_status).toMatchObject({ success: 'false', code: 876 });
        expect(await codeRows(mobileOnly.id)).toHaveLength(0);
      });
    });
  });

  describe('wrong tries', () => {
    it('five wrong codes lock the live code (808 even for the right one) until a new one is issued', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const code = await issueAndRead(t, c);
      for (let i = 1; i <= 5; i++) {
        await expectRejected(() => redeem(t, item(c, wrongCode(code, i)), VALIDATED), 808);
      }
      await expectRejected(() => redeem(t, item(c, code), VALIDATED), 808);
      expect(Number(await balanceOf(t, c.id))).toBe(100);
      // The dry run sees the lock too.
      const dry = await isRedeemable(t, { mobile: c.mobile, points: '10', validation_code: code });
      expect(redeemableOf(dry).item_status.code).toBe(808);

      const next = await issueAndRead(t, c);
      const res = expectRedeemed(await redeem(t, item(c, next), VALIDATED), next);
      expect(res.balance).toBe(90);
      expect(Number(await balanceOf(t, c.id))).toBe(90);
    });

    it('four wrong codes do not lock it: the fifth try with the right code redeems', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const code = await issueAndRead(t, c);
      for (let i = 1; i <= 4; i++) {
        await expectRejected(() => redeem(t, item(c, wrongCode(code, i)), VALIDATED), 808);
      }
      expectRedeemed(await redeem(t, item(c, code), VALIDATED), code);
    });
  });

  describe('secrecy', () => {
    it('stores codes only as a keyed hash: no validation_code column holds the code', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const code = await issueAndRead(t, c);
      const rows = await codeRows(c.id);
      expect(rows).toHaveLength(1);
      for (const [column, value] of Object.entries(rows[0])) {
        const text = value instanceof Date ? value.toISOString() : String(value);
        expect({ column, value: text.toUpperCase() }).not.toEqual({
          column,
          value: expect.stringContaining(code),
        });
      }
      // Not an unkeyed digest of the code either.
      const hash = String(rows[0].code_hash);
      for (const digest of [
        createHash('sha256').update(code).digest('hex'),
        createHash('sha256').update(`${c.id}:${code}`).digest('hex'),
        createHash('md5').update(code).digest('hex'),
        createHmac('sha256', '').update(`${c.id}:${code}`).digest('hex'),
      ]) {
        expect(hash).not.toBe(digest);
      }
    });

    it('the outbox sender logs the message with the code masked, and marks it sent', async () => {
      const chunks: string[] = [];
      // pino writes to process.stdout when its write has been replaced before the app starts.
      const capture = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
        chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      };
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
      // nestjs-pino sends what is logged outside a request (the outbox sender's lines) to one
      // process-wide logger, made by the first app started; point it at this test's app.
      const suiteLogger = (await t.app.resolve(PinoLogger)).logger;
      const suiteRoot = PinoLogger.root;
      __resetOutOfContextForTests();
      let logApp: TestApp | undefined;
      try {
        logApp = await startTestApp('otp_logs', { LOG_LEVEL: 'info', NOTIFICATION_POLL_MS: '50' });
        const app = logApp;
        const c = await makeCustomer(app, [{ points: 100 }]);
        const code = await issueAndRead(app, c);
        const sent = await waitFor(
          async () => {
            const [n] = await notificationsOf(app, c.id);
            return n?.sent_at ? n : undefined;
          },
          3000,
          'the outbox sender to mark the notification sent',
        );
        expect(sent.text).toContain(code);

        const log = chunks.join('');
        const lines = log
          .split('\n')
          .filter((l) => l.trim().startsWith('{'))
          .map((l) => JSON.parse(l) as { msg?: string });
        const delivered = lines.filter((l) => /validation code is/.test(l.msg ?? ''));
        expect(delivered).toHaveLength(1);
        expect(delivered[0].msg).toMatch(
          new RegExp(
            `^SMS to \\*+${c.mobile.slice(-4)}: Your validation code is \\*{6} for redeeming 1000 points\\. It is valid for 15 minutes\\.$`,
          ),
        );
        expect(log).toMatch(/validation code is \*{6}/);
        expect(log).not.toContain(code);
      } finally {
        await logApp?.close();
        spy.mockRestore();
        __resetOutOfContextForTests();
        new PinoLogger({ pinoHttp: { logger: suiteLogger } });
        (PinoLogger as unknown as { root: unknown }).root = suiteRoot;
      }
    });
  });

  describe('isredeemable', () => {
    it('answers every rule with the code redeem gives, and writes nothing', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const fraud = await makeCustomer(t, [{ points: 100 }]);
      const marked = await admin(t, 'patch', `/admin/customers/${fraud.id}`, {
        fraud_status: 'MARKED',
      });
      expect(marked.status).toBe(200);
      const step5 = await createProgram(t, { name: 'Step5', redeem_multiple_of: 5 });
      const max50 = await createProgram(t, { name: 'Max50', max_redeem: 50 });

      const m = c.mobile;
      const cases: [string, Record<string, string>, number][] = [
        ['redeemable', { mobile: m, points: '10', ...SKIP }, 800],
        ['zero points', { mobile: m, points: '0', ...SKIP }, 801],
        ['no identifier', { points: '10', ...SKIP }, 802],
        ['more than the balance', { mobile: m, points: '101', ...SKIP }, 803],
        ['not a multiple', { mobile: m, points: '7', program_id: String(step5), ...SKIP }, 807],
        ['fraud', { mobile: fraud.mobile, points: '10', ...SKIP }, 809],
        ['unknown customer', { mobile: UNKNOWN_MOBILE, points: '10', ...SKIP }, 816],
        ['above maximum', { mobile: m, points: '60', program_id: String(max50), ...SKIP }, 819],
        ['below minimum', { mobile: m, points: '0.5', ...SKIP }, 821],
        ['too many decimals', { mobile: m, points: '1.1111', ...SKIP }, 878],
        ['unknown program', { mobile: m, points: '10', program_id: '999999', ...SKIP }, 1101],
        ['no code, not skipped', { mobile: m, points: '10' }, 808],
      ];

      const counts = await writeCounts(t);
      const codesBefore = await t.pg.query('SELECT count(*)::int AS n FROM validation_code');
      const outboxBefore = await t.pg.query('SELECT count(*)::int AS n FROM notification');
      for (const [name, query, code] of cases) {
        const res = await isRedeemable(t, query);
        expect({ name, status: res.status }).toEqual({ name, status: 200 });
        const ok = code === 800;
        expect({ name, status: res.body.response.status }).toEqual({
          name,
          status: ok ? { success: 'true', code: 200, message: expect.any(String) } : FAILED,
        });
        const r = redeemableOf(res);
        expect({ name, item_status: r.item_status }).toEqual({
          name,
          item_status: ok
            ? { success: 'true', code: 800, message: 'Points can be redeemed' }
            : { success: 'false', code, message: expect.any(String) },
        });
        expect(r.is_redeemable).toBe(ok ? 'true' : 'false');
        expect(typeof r.points_redeem_value).toBe('number');
        expect(r.points_redeem_value).toBe(ok ? 10 : 0);
        expect(typeof r.points_redeem_local_value).toBe('number');
        expect(typeof r.points_currency_ratio).toBe('number');
      }
      expect(Number(await balanceOf(t, c.id))).toBe(100);
      expect(await writeCounts(t)).toEqual(counts);
      expect((await t.pg.query('SELECT count(*)::int AS n FROM validation_code')).rows).toEqual(
        codesBefore.rows,
      );
      expect((await t.pg.query('SELECT count(*)::int AS n FROM notification')).rows).toEqual(
        outboxBefore.rows,
      );

      // The same checks through redeem give the same codes (failures write nothing)...
      for (const [name, query, code] of cases) {
        if (code === 800) continue;
        const { points, mobile, ...rest } = query;
        const body = { points_redeemed: points, ...(mobile ? { customer: { mobile } } : {}) };
        const res = await expectNoWrites(t, () => redeem(t, body, rest));
        expect({ name, code: itemOf(res).item_status.code }).toEqual({ name, code });
      }
      // ...and what isredeemable called redeemable is redeemed.
      expectRedeemed(await redeem(t, item(c), SKIP));
      expect(Number(await balanceOf(t, c.id))).toBe(90);
    });

    it('values the points with the program ratio', async () => {
      const half = await createProgram(t, { name: 'Half', points_currency_ratio: '0.5' });
      const c = await makeCustomer(t, [{ points: 100, program_id: half }]);
      const res = await isRedeemable(t, {
        mobile: c.mobile,
        points: '10',
        program_id: String(half),
        ...SKIP,
      });
      expect(redeemableOf(res)).toMatchObject({
        mobile: c.mobile,
        user_id: String(c.id),
        is_redeemable: 'true',
        points_redeem_value: 5,
        points_redeem_local_value: 5,
        points_currency_ratio: 0.5,
        item_status: { success: 'true', code: 800, message: 'Points can be redeemed' },
      });
    });

    it('issue_otp=true issues a code when redeemable; a valid code passes and stays usable', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);

      // Not redeemable: no code is issued.
      const refused = await isRedeemable(t, { mobile: c.mobile, points: '101', issue_otp: 'true' });
      expect(redeemableOf(refused).item_status.code).toBe(803);
      expect(await notificationsOf(t, c.id)).toHaveLength(0);

      const counts = await writeCounts(t);
      const res = await isRedeemable(t, { mobile: c.mobile, points: '10', issue_otp: 'true' });
      expect(res.status).toBe(200);
      expect(res.body.response.status).toEqual(SUCCESS);
      expect(redeemableOf(res)).toMatchObject({
        is_redeemable: 'true',
        points_redeem_value: 10,
        item_status: { success: 'true', code: 800, message: 'Points can be redeemed' },
      });
      const outbox = await notificationsOf(t, c.id);
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ channel: 'SMS', recipient: c.mobile });
      const code = codeFromText(outbox[0].text);
      expect(res.text).not.toContain(code);
      expect(await codeRows(c.id)).toHaveLength(1);
      expect(await writeCounts(t)).toEqual(counts);

      // A dry run with the code passes, a wrong one does not, and neither uses the code up.
      const check = await isRedeemable(t, {
        mobile: c.mobile,
        points: '10',
        validation_code: code,
      });
      expect(redeemableOf(check)).toMatchObject({
        is_redeemable: 'true',
        item_status: { code: 800 },
      });
      const wrong = await isRedeemable(t, {
        mobile: c.mobile,
        points: '10',
        validation_code: wrongCode(code),
      });
      expect(redeemableOf(wrong)).toMatchObject({
        is_redeemable: 'false',
        points_redeem_value: 0,
        item_status: { success: 'false', code: 808 },
      });
      expect(await writeCounts(t)).toEqual(counts);
      expect(Number(await balanceOf(t, c.id))).toBe(100);

      expectRedeemed(await redeem(t, item(c, code), VALIDATED), code);
      expect(Number(await balanceOf(t, c.id))).toBe(90);
    });
  });

  describe('missed call and validation settings', () => {
    async function missedCall(mobile: string) {
      const res = await admin(t, 'post', '/admin/missed-calls', { mobile });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ mobile });
      return res;
    }

    it('MISSED_CALL: 822 without a call, 800 once after one, then 822 (the call is consumed)', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      await expectRejected(() => redeem(t, item(c), MISSED_CALL), 822);
      // A call from another number does not count.
      await missedCall(UNKNOWN_MOBILE);
      await expectRejected(() => redeem(t, item(c), MISSED_CALL), 822);

      await missedCall(c.mobile);
      const res = expectRedeemed(await redeem(t, item(c), MISSED_CALL), '');
      expect(res.balance).toBe(90);
      expect(await validationTypeOf(res.redemption_id)).toBe('MISSED_CALL');
      const { rows } = await t.pg.query<{ consumed: boolean }>(
        'SELECT consumed_at IS NOT NULL AS consumed FROM missed_call WHERE mobile = $1',
        [c.mobile],
      );
      expect(rows).toEqual([{ consumed: true }]);

      await expectRejected(() => redeem(t, item(c), MISSED_CALL), 822);
      expect(Number(await balanceOf(t, c.id))).toBe(90);
    });

    it('MISSED_CALL: a call older than the validity window does not validate (822)', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      await missedCall(c.mobile);
      t.clock.advance(16 * MINUTE);
      await expectRejected(() => redeem(t, item(c), MISSED_CALL), 822);
    });

    it('MISSED_CALL: 823 when the org has missed calls off', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      await missedCall(c.mobile);
      await withConfig(t, { missed_call_enabled: false }, async () => {
        await expectRejected(() => redeem(t, item(c), MISSED_CALL), 823);
      });
      // Back on, the same call validates.
      expectRedeemed(await redeem(t, item(c), MISSED_CALL), '');
    });

    it('824: require_validation refuses skip_validation=true, a code still works', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      await withConfig(t, { require_validation: true }, async () => {
        await expectRejected(() => redeem(t, item(c), SKIP), 824);
        const dry = await isRedeemable(t, { mobile: c.mobile, points: '10', ...SKIP });
        expect(redeemableOf(dry).item_status.code).toBe(824);
        const code = await issueAndRead(t, c);
        expectRedeemed(await redeem(t, item(c, code), VALIDATED), code);
      });
      expectRedeemed(await redeem(t, item(c), SKIP));
      expect(Number(await balanceOf(t, c.id))).toBe(80);
    });

    it('otp_required=false: no code redeems, but a wrong non-empty code is still 808', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      await withConfig(t, { otp_required: false }, async () => {
        const res = expectRedeemed(await redeem(t, item(c), VALIDATED), '');
        expect(await validationTypeOf(res.redemption_id)).toBe('NONE');
        const dry = await isRedeemable(t, { mobile: c.mobile, points: '10' });
        expect(redeemableOf(dry).item_status.code).toBe(800);

        await expectRejected(() => redeem(t, item(c, 'WRONG1'), VALIDATED), 808);
        const code = await issueAndRead(t, c);
        await expectRejected(() => redeem(t, item(c, wrongCode(code)), VALIDATED), 808);
        expectRedeemed(await redeem(t, item(c, code), VALIDATED), code);
      });
      expect(Number(await balanceOf(t, c.id))).toBe(80);
      // Restored: no code is 808 again.
      await expectRejected(() => redeem(t, item(c), VALIDATED), 808);
    });
  });

  describe('issue limit', () => {
    it('the 6th code within the window is refused with 877 (status 500) and writes no code', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      for (let i = 0; i < 5; i++) {
        const res = await issueCode(t, { mobile: c.mobile, points: '10' });
        expect(issuedOf(res).item_status).toEqual(ISSUED);
      }
      const sixth = await issueCode(t, { mobile: c.mobile, points: '10' });
      expect(sixth.status).toBe(200);
      expect(sixth.body.response.status).toEqual(FAILED);
      expect(issuedOf(sixth).item_status).toEqual({
        success: 'false',
        code: 877,
        message: expect.any(String),
      });
      expect(await notificationsOf(t, c.id)).toHaveLength(5);
      expect(await codeRows(c.id)).toHaveLength(5);

      // isredeemable?issue_otp=true hits the same limit and reports 876.
      const dry = await isRedeemable(t, { mobile: c.mobile, points: '10', issue_otp: 'true' });
      expect(redeemableOf(dry)).toMatchObject({
        is_redeemable: 'false',
        item_status: { success: 'false', code: 876 },
      });
      expect(await notificationsOf(t, c.id)).toHaveLength(5);

      // Once the window has passed, codes can be issued again.
      t.clock.advance(15 * MINUTE + 1000);
      const later = await issueCode(t, { mobile: c.mobile, points: '10' });
      expect(issuedOf(later).item_status).toEqual(ISSUED);
      expect(await notificationsOf(t, c.id)).toHaveLength(6);
    });

    // DESIGN.md section 5: "Issuing is rate limited per customer (default 5 per window)".
    it('the limit is per customer: a 6th code in another program is refused too (877)', async () => {
      const other = await createProgram(t, { name: 'LimitOther' });
      const c = await makeCustomer(t, [{ points: 100 }, { points: 100, program_id: other }]);
      for (let i = 0; i < 5; i++) {
        const res = await issueCode(t, { mobile: c.mobile, points: '10' });
        expect(issuedOf(res).item_status).toEqual(ISSUED);
      }
      const sixth = await issueCode(t, {
        mobile: c.mobile,
        points: '10',
        program_id: String(other),
      });
      expect(issuedOf(sixth).item_status).toMatchObject({ success: 'false', code: 877 });
      expect(await notificationsOf(t, c.id)).toHaveLength(5);
    });
  });
});
