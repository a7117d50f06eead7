import { performance } from 'node:perf_hooks';
import request, { Response as Res } from 'supertest';
import { admin, balanceOf, makeCustomer, redeem } from '../support/api';
import {
  basic,
  DEMO_ADMIN,
  DEMO_MOBILE,
  DEMO_TILL,
  md5,
  OTHER_ADMIN,
  OTHER_TILL,
  READONLY_TILL,
} from '../support/credentials';
import { changed, dbSnapshot } from '../support/db-snapshot';
import { dig, expectV2Error } from '../support/expect';
import {
  codeFromText,
  isRedeemable,
  issueCode,
  issuedOf,
  NotificationRow,
  notificationsOf,
  redeemableOf,
  waitFor,
} from '../support/otp-helpers';
import { rawRequest } from '../support/raw-http';
import { itemOf } from '../support/redeem-helpers';
import { redeemFor, reverse } from '../support/reversal-helpers';
import { startTestApp, TestApp } from '../support/test-app';

// Starting apps and the timed login loop outlast Jest's 5 s default under a loaded machine.
jest.setTimeout(60_000);

const OTHER_MOBILE = '919900000002';
const SKIP = { skip_validation: 'true' };

/** A v1.1 answer whose single item failed with `code` (HTTP 200, status 500). */
function expectItem(res: Res, itemPath: (string | number)[], code: number): void {
  expect({ http: res.status, status: dig(res.body, 'response', 'status', 'code') }).toEqual({
    http: 200,
    status: 500,
  });
  expect(dig(res.body, ...itemPath, 'item_status')).toEqual({
    success: 'false',
    code,
    message: expect.any(String),
  });
}

/** A request-level error in the v1.1 (and admin) envelope. */
function expectV11Error(res: Res, httpStatus: number): void {
  expect({ http: res.status, body: res.body as unknown }).toEqual({
    http: httpStatus,
    body: {
      response: { status: { success: 'false', code: httpStatus, message: expect.any(String) } },
    },
  });
}

const CUSTOMER_GET_ITEM = ['response', 'customers', 'customer', 0];
const REDEMPTIONS_ITEM = ['response', 'customer'];
const REDEEMABLE_ITEM = ['response', 'points', 'redeemable'];
const VALIDATION_ITEM = ['response', 'validation_code', 'code'];
const REDEEM_ITEM = ['response', 'responses', 'points'];

describe('security', () => {
  let t: TestApp;
  /** Org demo's fixtures that org other must never reach. */
  const demo = {
    customerId: 0,
    programId: 0,
    groupId: 0,
    redemption: '',
    ern: 'sec-demo-ern-1',
    accessGroupIds: [] as number[],
  };
  let otherCustomerId = 0;

  const get = (path: string, auth: string, query: Record<string, string> = {}) =>
    request(t.url).get(path).query(query).set('Authorization', auth);

  beforeAll(async () => {
    // The timing test signs in wrongly many times from one address: lift the per-address limit.
    t = await startTestApp('security', {
      RATE_LIMIT_PER_MINUTE: '100000',
      AUTH_FAILURES_PER_MINUTE: '100000',
    });
    const idOf = async (org: string, mobile: string) => {
      const { rows } = await t.pg.query<{ id: number }>(
        `SELECT c.id FROM customer c JOIN org o ON o.id = c.org_id WHERE o.code = $1 AND c.mobile = $2`,
        [org, mobile],
      );
      return rows[0].id;
    };
    demo.customerId = await idOf('demo', DEMO_MOBILE);
    otherCustomerId = await idOf('other', OTHER_MOBILE);
    const { rows: programs } = await t.pg.query<{ id: number }>(
      `SELECT p.id FROM program p JOIN org o ON o.id = p.org_id WHERE o.code = 'demo' AND p.is_default`,
    );
    demo.programId = programs[0].id;
    const { rows: groups } = await t.pg.query<{ id: number }>(
      `SELECT g.id FROM access_group g JOIN org o ON o.id = g.org_id WHERE o.code = 'demo'`,
    );
    demo.accessGroupIds = groups.map((g) => g.id);
    demo.redemption = await redeemFor(t, DEMO_MOBILE, 5, SKIP, DEMO_TILL, {
      external_reference_number: demo.ern,
    });
    const group = await admin(t, 'post', '/admin/groups', {
      external_id: 'sec-demo-group',
      primary_customer_id: demo.customerId,
    });
    expect(group.status).toBe(201);
    demo.groupId = group.body.id as number;
    // A notification and a custom field of demo's, for the list endpoints.
    const issued = await issueCode(t, { mobile: DEMO_MOBILE, points: '10' });
    expect(issuedOf(issued).item_status.code).toBe(200);
    expect(
      (await admin(t, 'post', '/admin/custom-fields', { name: 'sec_demo_field' })).status,
    ).toBe(201);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe("cross-org isolation: org other's credentials never reach org demo's data", () => {
    interface IsolationRow {
      label: string;
      send: () => PromiseLike<Res>;
      check: (res: Res) => void;
    }

    const rows: IsolationRow[] = [
      {
        label: 'GET /v1.1/customer/get by demo mobile → 816',
        send: () => get('/v1.1/customer/get', OTHER_TILL, { mobile: DEMO_MOBILE }),
        check: (res) => {
          expectItem(res, CUSTOMER_GET_ITEM, 816);
          expect(dig(res.body, ...CUSTOMER_GET_ITEM, 'user_id')).toBe('');
          expect(res.text).not.toContain('loyalty_points');
        },
      },
      {
        label: 'GET /v1.1/customer/get by demo customer id → 816',
        send: () => get('/v1.1/customer/get', OTHER_TILL, { id: String(demo.customerId) }),
        check: (res) => expectItem(res, CUSTOMER_GET_ITEM, 816),
      },
      {
        label: 'GET /v1.1/customer/redemptions by demo mobile → 816, no redemptions',
        send: () => get('/v1.1/customer/redemptions', OTHER_TILL, { mobile: DEMO_MOBILE }),
        check: (res) => {
          expectItem(res, REDEMPTIONS_ITEM, 816);
          expect(res.text).not.toContain(demo.redemption);
          expect(dig(res.body, ...REDEMPTIONS_ITEM, 'redemptions')).toBeUndefined();
        },
      },
      {
        label: 'GET /v1.1/points/isredeemable for the demo customer → 816',
        send: () =>
          get('/v1.1/points/isredeemable', OTHER_TILL, {
            mobile: DEMO_MOBILE,
            points: '1',
            ...SKIP,
          }),
        check: (res) => {
          expectItem(res, REDEEMABLE_ITEM, 816);
          expect(dig(res.body, ...REDEEMABLE_ITEM, 'is_redeemable')).toBe('false');
        },
      },
      {
        label: 'GET /v1.1/points/isredeemable with issue_otp=true issues no code → 816',
        send: () =>
          get('/v1.1/points/isredeemable', OTHER_TILL, {
            mobile: DEMO_MOBILE,
            points: '1',
            issue_otp: 'true',
          }),
        check: (res) => expectItem(res, REDEEMABLE_ITEM, 816),
      },
      {
        label: 'GET /v1.1/points/validationcode for the demo customer → 816, no code issued',
        send: () => get('/v1.1/points/validationcode', OTHER_TILL, { mobile: DEMO_MOBILE }),
        check: (res) => expectItem(res, VALIDATION_ITEM, 816),
      },
      {
        label: 'POST /v1.1/points/redeem from the demo customer → 816',
        send: () =>
          redeem(t, { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } }, SKIP, OTHER_TILL),
        check: (res) => expectItem(res, REDEEM_ITEM, 816),
      },
      {
        label: 'GET /v1.1/points/redeem (with a body) from the demo customer → 816',
        send: () =>
          request(t.url)
            .get('/v1.1/points/redeem')
            .query(SKIP)
            .set('Authorization', OTHER_TILL)
            .set('Content-Type', 'application/json')
            .send(
              JSON.stringify({
                root: { redeem: { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } } },
              }),
            ),
        check: (res) => expectItem(res, REDEEM_ITEM, 816),
      },
      {
        label: 'POST /v1.1/points/redeem by demo customer id → 816',
        send: () =>
          redeem(
            t,
            { points_redeemed: 1, customer: { id: String(demo.customerId) } },
            SKIP,
            OTHER_TILL,
          ),
        check: (res) => expectItem(res, REDEEM_ITEM, 816),
      },
      {
        label: "POST /v1.1/points/redeem of other's own customer in demo's program_id → 1101",
        send: () =>
          redeem(
            t,
            { points_redeemed: 1, customer: { mobile: OTHER_MOBILE } },
            { ...SKIP, program_id: String(demo.programId) },
            OTHER_TILL,
          ),
        check: (res) => expectItem(res, REDEEM_ITEM, 1101),
      },
      {
        label: "GET /v1.1/points/isredeemable in demo's program_id → 1101",
        send: () =>
          get('/v1.1/points/isredeemable', OTHER_TILL, {
            mobile: OTHER_MOBILE,
            points: '1',
            program_id: String(demo.programId),
            ...SKIP,
          }),
        check: (res) => expectItem(res, REDEEMABLE_ITEM, 1101),
      },
      {
        label: "GET /v1.1/points/validationcode in demo's program_id → 1101",
        send: () =>
          get('/v1.1/points/validationcode', OTHER_TILL, {
            mobile: OTHER_MOBILE,
            program_id: String(demo.programId),
          }),
        check: (res) => expectItem(res, VALIDATION_ITEM, 1101),
      },
      {
        label: "POST /v1.1/points/redeem with user_group2_id of demo's group → 1632",
        send: () =>
          redeem(
            t,
            { points_redeemed: 1, customer: { mobile: OTHER_MOBILE } },
            { ...SKIP, user_group2_id: String(demo.groupId) },
            OTHER_TILL,
          ),
        check: (res) => expectItem(res, REDEEM_ITEM, 1632),
      },
      {
        label: 'POST /v2/points/reverse of a demo redemption by id → 902 (404)',
        send: () => reverse(t, { redemptionId: demo.redemption }, OTHER_TILL),
        check: (res) => expectV2Error(res, 404, 902),
      },
      {
        label: 'POST /v2/points/reverse of a demo redemption by external reference → 902 (404)',
        send: () => reverse(t, { externalReferenceNumber: demo.ern }, OTHER_TILL),
        check: (res) => expectV2Error(res, 404, 902),
      },
      {
        label: 'GET /admin/customers/:id of the demo customer → 404',
        send: () => admin(t, 'get', `/admin/customers/${demo.customerId}`, undefined, OTHER_ADMIN),
        check: (res) => expectV11Error(res, 404),
      },
      {
        label: 'PATCH /admin/customers/:id of the demo customer (fraud MARKED) → 404',
        send: () =>
          admin(
            t,
            'patch',
            `/admin/customers/${demo.customerId}`,
            { fraud_status: 'MARKED' },
            OTHER_ADMIN,
          ),
        check: (res) => expectV11Error(res, 404),
      },
      {
        label: 'POST /admin/points/credit to the demo customer_id → 404',
        send: () =>
          admin(
            t,
            'post',
            '/admin/points/credit',
            { customer_id: demo.customerId, points: 100 },
            OTHER_ADMIN,
          ),
        check: (res) => expectV11Error(res, 404),
      },
      {
        label: 'POST /admin/points/credit to the demo mobile → 404',
        send: () =>
          admin(
            t,
            'post',
            '/admin/points/credit',
            { customer: { mobile: DEMO_MOBILE }, points: 100 },
            OTHER_ADMIN,
          ),
        check: (res) => expectV11Error(res, 404),
      },
      {
        label: "POST /admin/points/credit to demo's group_id → 404",
        send: () =>
          admin(
            t,
            'post',
            '/admin/points/credit',
            { group_id: demo.groupId, points: 100 },
            OTHER_ADMIN,
          ),
        check: (res) => expectV11Error(res, 404),
      },
      {
        label: "POST /admin/points/credit to other's customer in demo's program → 404",
        send: () =>
          admin(
            t,
            'post',
            '/admin/points/credit',
            { customer_id: otherCustomerId, program_id: demo.programId, points: 100 },
            OTHER_ADMIN,
          ),
        check: (res) => expectV11Error(res, 404),
      },
      {
        label: "GET /admin/groups/:id of demo's group → 404",
        send: () => admin(t, 'get', `/admin/groups/${demo.groupId}`, undefined, OTHER_ADMIN),
        check: (res) => expectV11Error(res, 404),
      },
      {
        label: "PATCH /admin/groups/:id of demo's group → 404",
        send: () =>
          admin(
            t,
            'patch',
            `/admin/groups/${demo.groupId}`,
            { redemption_enabled: false },
            OTHER_ADMIN,
          ),
        check: (res) => expectV11Error(res, 404),
      },
      {
        label: "POST /admin/groups/:id/members into demo's group → 404",
        send: () =>
          admin(
            t,
            'post',
            `/admin/groups/${demo.groupId}/members`,
            { customer_id: otherCustomerId },
            OTHER_ADMIN,
          ),
        check: (res) => expectV11Error(res, 404),
      },
      {
        label: 'POST /admin/groups with the demo customer as primary → 404',
        send: () =>
          admin(
            t,
            'post',
            '/admin/groups',
            { external_id: 'sec-other-group-1', primary_customer_id: demo.customerId },
            OTHER_ADMIN,
          ),
        check: (res) => expectV11Error(res, 404),
      },
      {
        label: 'POST /admin/groups with the demo customer as member → 404',
        send: () =>
          admin(
            t,
            'post',
            '/admin/groups',
            {
              external_id: 'sec-other-group-2',
              primary_customer_id: otherCustomerId,
              member_ids: [demo.customerId],
            },
            OTHER_ADMIN,
          ),
        check: (res) => expectV11Error(res, 404),
      },
      {
        label: "PATCH /admin/programs/:id of demo's program → 404",
        send: () =>
          admin(t, 'patch', `/admin/programs/${demo.programId}`, { name: 'hijacked' }, OTHER_ADMIN),
        check: (res) => expectV11Error(res, 404),
      },
      {
        label: 'GET /admin/notifications?customer_id=<demo customer> → empty list',
        send: () =>
          admin(
            t,
            'get',
            `/admin/notifications?customer_id=${demo.customerId}`,
            undefined,
            OTHER_ADMIN,
          ),
        check: (res) => {
          expect(res.status).toBe(200);
          expect(res.body).toEqual([]);
        },
      },
      {
        label: "GET /admin/notifications lists none of demo's messages",
        send: () => admin(t, 'get', '/admin/notifications', undefined, OTHER_ADMIN),
        check: (res) => {
          expect(res.status).toBe(200);
          const list = res.body as NotificationRow[];
          expect(list.filter((n) => n.customer_id === demo.customerId)).toEqual([]);
          expect(res.text).not.toContain(DEMO_MOBILE);
        },
      },
      {
        label: "GET /admin/tills lists none of demo's users",
        send: () => admin(t, 'get', '/admin/tills', undefined, OTHER_ADMIN),
        check: (res) => {
          expect(res.status).toBe(200);
          const names = (res.body as { username: string }[]).map((u) => u.username);
          expect(names).toEqual(expect.arrayContaining(['other.till', 'other.admin']));
          for (const n of ['demo.till', 'readonly.till', 'demo.admin']) {
            expect(names).not.toContain(n);
          }
        },
      },
      {
        label: "GET /admin/programs lists none of demo's programs",
        send: () => admin(t, 'get', '/admin/programs', undefined, OTHER_ADMIN),
        check: (res) => {
          expect(res.status).toBe(200);
          const ids = (res.body as { id: number }[]).map((p) => p.id);
          expect(ids.length).toBeGreaterThan(0);
          expect(ids).not.toContain(demo.programId);
        },
      },
      {
        label: "GET /admin/access-groups lists none of demo's groups",
        send: () => admin(t, 'get', '/admin/access-groups', undefined, OTHER_ADMIN),
        check: (res) => {
          expect(res.status).toBe(200);
          const ids = (res.body as { id: number }[]).map((g) => g.id);
          expect(ids.length).toBeGreaterThan(0);
          for (const id of demo.accessGroupIds) expect(ids).not.toContain(id);
        },
      },
      {
        label: "GET /admin/custom-fields lists none of demo's fields",
        send: () => admin(t, 'get', '/admin/custom-fields', undefined, OTHER_ADMIN),
        check: (res) => {
          expect(res.status).toBe(200);
          expect(res.text).not.toContain('sec_demo_field');
        },
      },
      {
        label: "GET /admin/ledger/verify checks only other's wallets",
        send: () => admin(t, 'get', '/admin/ledger/verify', undefined, OTHER_ADMIN),
        check: (res) => {
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ ok: true, failures: [] });
        },
      },
    ];

    it.each(rows.map((r) => [r.label, r] as const))('%s', async (_label, row) => {
      const before = await dbSnapshot(t);
      const demoBalance = await balanceOf(t, demo.customerId);
      const res = await row.send();
      expect(changed(before, await dbSnapshot(t))).toEqual({});
      expect(await balanceOf(t, demo.customerId)).toBe(demoBalance);
      expect(res.status).toBeLessThan(500);
      row.check(res);
    });

    it("the ledger check of other counts exactly other's wallets", async () => {
      const res = await admin(t, 'get', '/admin/ledger/verify', undefined, OTHER_ADMIN);
      const { rows: counted } = await t.pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM wallet w JOIN org o ON o.id = w.org_id WHERE o.code = 'other'`,
      );
      expect(res.body.wallets_checked).toBe(counted[0].n);
    });

    it("demo.admin does see demo's notification (the empty list above is isolation, not absence)", async () => {
      const mine = await notificationsOf(t, demo.customerId);
      expect(mine.length).toBeGreaterThan(0);
    });

    it("patching other's config leaves demo's untouched", async () => {
      const demoBefore = await admin(t, 'get', '/admin/config');
      const otherBefore = await admin(t, 'get', '/admin/config', undefined, OTHER_ADMIN);
      const patched = await admin(
        t,
        'patch',
        '/admin/config',
        { otp_validity_minutes: 7, otp_length: 9 },
        OTHER_ADMIN,
      );
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ otp_validity_minutes: 7, otp_length: 9 });
      expect((await admin(t, 'get', '/admin/config')).body).toEqual(demoBefore.body);
      const restored = await admin(
        t,
        'patch',
        '/admin/config',
        {
          otp_validity_minutes: otherBefore.body.otp_validity_minutes,
          otp_length: otherBefore.body.otp_length,
        },
        OTHER_ADMIN,
      );
      expect(restored.body).toEqual(otherBefore.body);
    });

    it("a missed call recorded by other's admin does not validate a demo redemption (822)", async () => {
      const recorded = await admin(
        t,
        'post',
        '/admin/missed-calls',
        { mobile: DEMO_MOBILE },
        OTHER_ADMIN,
      );
      expect(recorded.status).toBeLessThan(300);
      const balance = await balanceOf(t, demo.customerId);
      const res = await redeem(
        t,
        { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } },
        { validation_type: 'MISSED_CALL' },
      );
      expect(itemOf(res).item_status.code).toBe(822);
      expect(await balanceOf(t, demo.customerId)).toBe(balance);
      // Control: demo's own missed call does validate it.
      expect(
        (await admin(t, 'post', '/admin/missed-calls', { mobile: DEMO_MOBILE })).status,
      ).toBeLessThan(300);
      const ok = await redeem(
        t,
        { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } },
        { validation_type: 'MISSED_CALL' },
      );
      expect(itemOf(ok).item_status.code).toBe(800);
    });

    it("an Idempotency-Key used by demo does not replay demo's response to other", async () => {
      const key = `sec-idem-${Date.now()}`;
      const body = { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } };
      const before = await balanceOf(t, demo.customerId);
      const first = await redeem(t, body, SKIP, DEMO_TILL, { 'Idempotency-Key': key });
      expect(itemOf(first).item_status.code).toBe(800);

      // The very same request and key from org other: its own answer, not demo's.
      const fromOther = await redeem(t, body, SKIP, OTHER_TILL, { 'Idempotency-Key': key });
      expect(fromOther.headers['idempotent-replayed']).toBeUndefined();
      expect(itemOf(fromOther).item_status.code).toBe(816);
      expect(fromOther.text).not.toContain(itemOf(first).redemption_id);
      expect(Number(await balanceOf(t, demo.customerId))).toBe(Number(before) - 1);

      // Demo's own retry still replays its first answer byte for byte.
      const replay = await redeem(t, body, SKIP, DEMO_TILL, { 'Idempotency-Key': key });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.text).toBe(first.text);
      expect(Number(await balanceOf(t, demo.customerId))).toBe(Number(before) - 1);

      // A key demo used is free for other's own request (no 422, no replay).
      const key2 = `${key}-b`;
      expect(
        itemOf(await redeem(t, body, SKIP, DEMO_TILL, { 'Idempotency-Key': key2 })).item_status
          .code,
      ).toBe(800);
      const otherBalance = await balanceOf(t, otherCustomerId);
      const own = await redeem(
        t,
        { points_redeemed: 2, customer: { mobile: OTHER_MOBILE } },
        SKIP,
        OTHER_TILL,
        { 'Idempotency-Key': key2 },
      );
      expect(own.status).toBe(200);
      expect(own.headers['idempotent-replayed']).toBeUndefined();
      expect(itemOf(own).item_status.code).toBe(800);
      expect(Number(await balanceOf(t, otherCustomerId))).toBe(Number(otherBalance) - 2);
    });

    it('an Idempotency-Key used for a demo reversal does not replay it to other', async () => {
      const code = await redeemFor(t, DEMO_MOBILE, 3, SKIP);
      const key = `sec-idem-rev-${Date.now()}`;
      const first = await reverse(t, { redemptionId: code }, DEMO_TILL, { 'Idempotency-Key': key });
      expect(first.status).toBe(200);
      const fromOther = await reverse(t, { redemptionId: code }, OTHER_TILL, {
        'Idempotency-Key': key,
      });
      expect(fromOther.headers['idempotent-replayed']).toBeUndefined();
      expectV2Error(fromOther, 404, 902);
    });

    it('the same mobile in both orgs resolves to each org its own customer', async () => {
      const created = await admin(
        t,
        'post',
        '/admin/customers',
        { mobile: DEMO_MOBILE },
        OTHER_ADMIN,
      );
      expect(created.status).toBe(201);
      const twinId = created.body.id as number;
      expect(twinId).not.toBe(demo.customerId);
      const credited = await admin(
        t,
        'post',
        '/admin/points/credit',
        { customer_id: twinId, points: 50 },
        OTHER_ADMIN,
      );
      expect(credited.status).toBe(201);
      const demoBalance = await balanceOf(t, demo.customerId);

      const res = await redeem(
        t,
        { points_redeemed: 10, customer: { mobile: DEMO_MOBILE } },
        SKIP,
        OTHER_TILL,
      );
      expect(itemOf(res).item_status.code).toBe(800);
      expect(itemOf(res).user_id).toBe(String(twinId));
      expect(Number(await balanceOf(t, twinId))).toBe(40);
      expect(await balanceOf(t, demo.customerId)).toBe(demoBalance);

      const mine = await get('/v1.1/customer/get', DEMO_TILL, { mobile: DEMO_MOBILE });
      expect(dig(mine.body, ...CUSTOMER_GET_ITEM, 'user_id')).toBe(String(demo.customerId));
      const theirs = await get('/v1.1/customer/get', OTHER_TILL, { mobile: DEMO_MOBILE });
      expect(dig(theirs.body, ...CUSTOMER_GET_ITEM, 'user_id')).toBe(String(twinId));
    });
  });

  describe('access groups: every endpoint refuses what the group does not grant', () => {
    interface Route {
      method: 'get' | 'post' | 'patch';
      /** The route as Express knows it, e.g. /admin/customers/:id */
      route: string;
      path: () => string;
      body?: () => unknown;
    }

    const ADMIN_ROUTES: Route[] = [
      { method: 'get', route: '/admin/config', path: () => '/admin/config' },
      {
        method: 'patch',
        route: '/admin/config',
        path: () => '/admin/config',
        body: () => ({ otp_validity_minutes: 10 }),
      },
      { method: 'get', route: '/admin/programs', path: () => '/admin/programs' },
      {
        method: 'post',
        route: '/admin/programs',
        path: () => '/admin/programs',
        body: () => ({ name: 'denied-program' }),
      },
      {
        method: 'patch',
        route: '/admin/programs/:id',
        path: () => `/admin/programs/${demo.programId}`,
        body: () => ({ name: 'Denied' }),
      },
      { method: 'get', route: '/admin/access-groups', path: () => '/admin/access-groups' },
      { method: 'get', route: '/admin/tills', path: () => '/admin/tills' },
      {
        method: 'post',
        route: '/admin/tills',
        path: () => '/admin/tills',
        body: () => ({
          username: 'denied.till',
          password: 'denied.pass.1',
          access_group: 'Default',
        }),
      },
      {
        method: 'post',
        route: '/admin/customers',
        path: () => '/admin/customers',
        body: () => ({ mobile: '919811111111' }),
      },
      {
        method: 'get',
        route: '/admin/customers/:id',
        path: () => `/admin/customers/${demo.customerId}`,
      },
      {
        method: 'patch',
        route: '/admin/customers/:id',
        path: () => `/admin/customers/${demo.customerId}`,
        body: () => ({ fraud_status: 'MARKED' }),
      },
      {
        method: 'post',
        route: '/admin/points/credit',
        path: () => '/admin/points/credit',
        body: () => ({ customer_id: demo.customerId, points: 5 }),
      },
      {
        method: 'post',
        route: '/admin/groups',
        path: () => '/admin/groups',
        body: () => ({ external_id: 'denied-group', primary_customer_id: demo.customerId }),
      },
      {
        method: 'get',
        route: '/admin/groups/:id',
        path: () => `/admin/groups/${demo.groupId}`,
      },
      {
        method: 'patch',
        route: '/admin/groups/:id',
        path: () => `/admin/groups/${demo.groupId}`,
        body: () => ({ redemption_enabled: false }),
      },
      {
        method: 'post',
        route: '/admin/groups/:id/members',
        path: () => `/admin/groups/${demo.groupId}/members`,
        body: () => ({ customer_id: demo.customerId }),
      },
      {
        method: 'post',
        route: '/admin/missed-calls',
        path: () => '/admin/missed-calls',
        body: () => ({ mobile: DEMO_MOBILE }),
      },
      {
        method: 'get',
        route: '/admin/notifications',
        path: () => `/admin/notifications?customer_id=${demo.customerId}`,
      },
      { method: 'get', route: '/admin/custom-fields', path: () => '/admin/custom-fields' },
      {
        method: 'post',
        route: '/admin/custom-fields',
        path: () => '/admin/custom-fields',
        body: () => ({ name: 'denied_field' }),
      },
      { method: 'get', route: '/admin/ledger/verify', path: () => '/admin/ledger/verify' },
      {
        method: 'patch',
        route: '/admin/tills/:id',
        path: () => '/admin/tills/1',
        body: () => ({ active: false }),
      },
      {
        method: 'get',
        route: '/admin/customers',
        path: () => `/admin/customers?q=${DEMO_MOBILE}`,
      },
      {
        method: 'get',
        route: '/admin/customers/:id/lots',
        path: () => `/admin/customers/${demo.customerId}/lots`,
      },
      {
        method: 'get',
        route: '/admin/customers/:id/ledger',
        path: () => `/admin/customers/${demo.customerId}/ledger`,
      },
      {
        method: 'get',
        route: '/admin/customers/:id/redemptions',
        path: () => `/admin/customers/${demo.customerId}/redemptions`,
      },
      {
        method: 'post',
        route: '/admin/redemptions/:code/reverse',
        path: () => '/admin/redemptions/ZZZZZZ/reverse',
        body: () => ({}),
      },
      { method: 'get', route: '/admin/stats', path: () => '/admin/stats' },
      { method: 'get', route: '/admin/audit', path: () => '/admin/audit' },
      { method: 'get', route: '/admin/groups', path: () => '/admin/groups' },
      { method: 'get', route: '/admin/missed-calls', path: () => '/admin/missed-calls' },
      {
        method: 'post',
        route: '/admin/me/password',
        path: () => '/admin/me/password',
        body: () => ({ current_password: 'x', new_password: 'denied.pass.2' }),
      },
      { method: 'get', route: '/admin/webhooks', path: () => '/admin/webhooks' },
      {
        method: 'post',
        route: '/admin/webhooks',
        path: () => '/admin/webhooks',
        body: () => ({ url: 'https://example.com/hook', events: ['points.credited'] }),
      },
      {
        method: 'patch',
        route: '/admin/webhooks/:id',
        path: () => '/admin/webhooks/1',
        body: () => ({ enabled: false }),
      },
      {
        method: 'post',
        route: '/admin/webhooks/:id/rotate',
        path: () => '/admin/webhooks/1/rotate',
      },
      {
        method: 'get',
        route: '/admin/webhooks/:id/deliveries',
        path: () => '/admin/webhooks/1/deliveries',
      },
      {
        method: 'post',
        route: '/admin/webhooks/deliveries/:id/retry',
        path: () => '/admin/webhooks/deliveries/1/retry',
      },
    ];

    it('the table covers every /admin route the application serves', () => {
      const express = t.app.getHttpAdapter().getInstance() as {
        router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
      };
      const served = new Set<string>();
      for (const layer of express.router.stack) {
        if (!layer.route || !layer.route.path.startsWith('/admin')) continue;
        for (const m of Object.keys(layer.route.methods)) {
          if (m !== '_all') served.add(`${m.toUpperCase()} ${layer.route.path}`);
        }
      }
      const covered = new Set(ADMIN_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.route}`));
      expect([...served].filter((r) => !covered.has(r))).toEqual([]);
      expect([...covered].filter((r) => !served.has(r))).toEqual([]);
    });

    const send = (r: Route, auth: string) => {
      const req = request(t.url)[r.method](r.path()).set('Authorization', auth);
      const body = r.body?.();
      return body === undefined
        ? req
        : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
    };

    const denied: [string, string, Route][] = [];
    for (const [name, auth] of [
      ['readonly.till', READONLY_TILL],
      ['demo.till', DEMO_TILL],
    ] as const) {
      for (const r of ADMIN_ROUTES)
        denied.push([`${name}: ${r.method.toUpperCase()} ${r.route}`, auth, r]);
    }

    it.each(denied)('%s → 403', async (_label, auth, route) => {
      const before = await dbSnapshot(t);
      const res = await send(route, auth);
      expect(changed(before, await dbSnapshot(t))).toEqual({});
      expectV11Error(res, 403);
    });

    it('control: demo.admin is allowed the same routes (GET /admin/config, GET /admin/tills)', async () => {
      expect((await admin(t, 'get', '/admin/config')).status).toBe(200);
      expect((await admin(t, 'get', '/admin/tills')).status).toBe(200);
    });

    const redeemBody = JSON.stringify({
      root: { redeem: { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } } },
    });
    const pointsWrite: [string, () => PromiseLike<Res>, (res: Res) => void][] = [
      [
        'POST /v1.1/points/redeem',
        () =>
          redeem(t, { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } }, SKIP, READONLY_TILL),
        (res) => expectV11Error(res, 403),
      ],
      [
        'GET /v1.1/points/redeem (with a body)',
        () =>
          request(t.url)
            .get('/v1.1/points/redeem')
            .query(SKIP)
            .set('Authorization', READONLY_TILL)
            .set('Content-Type', 'application/json')
            .send(redeemBody),
        (res) => expectV11Error(res, 403),
      ],
      [
        'POST /v2/points/reverse',
        () => reverse(t, { redemptionId: demo.redemption }, READONLY_TILL),
        (res) => expectV2Error(res, 403, 403),
      ],
    ];

    it.each(pointsWrite)(
      'readonly.till: %s → 403, nothing written',
      async (_label, send, check) => {
        const before = await dbSnapshot(t);
        const res = await send();
        expect(changed(before, await dbSnapshot(t))).toEqual({});
        check(res);
      },
    );

    describe.each([
      ['readonly.till', READONLY_TILL],
      ['demo.till', DEMO_TILL],
    ])('%s is allowed the reads its group grants', (_name, auth) => {
      let customer: { id: number; mobile: string };
      beforeAll(async () => {
        customer = await makeCustomer(t, [{ points: 100 }]);
      });

      it('GET /v1.1/customer/get → 200, 1000', async () => {
        const res = await get('/v1.1/customer/get', auth, { mobile: customer.mobile });
        expect(res.status).toBe(200);
        expect(dig(res.body, ...CUSTOMER_GET_ITEM, 'item_status', 'code')).toBe(1000);
      });

      it('GET /v1.1/customer/redemptions → 200', async () => {
        const res = await get('/v1.1/customer/redemptions', auth, { mobile: customer.mobile });
        expect(res.status).toBe(200);
        expect(dig(res.body, 'response', 'status', 'code')).toBe(200);
      });

      it('GET /v1.1/points/isredeemable → 200, 800', async () => {
        const res = await isRedeemable(t, { mobile: customer.mobile, points: '1', ...SKIP }, auth);
        expect(res.status).toBe(200);
        expect(redeemableOf(res).item_status.code).toBe(800);
      });
    });

    it('GET /v1.1/points/validationcode needs points write: demo.till → 200, code issued', async () => {
      const customer = await makeCustomer(t, [{ points: 100 }]);
      const res = await issueCode(t, { mobile: customer.mobile, points: '10' }, DEMO_TILL);
      expect(res.status).toBe(200);
      expect(issuedOf(res).item_status.code).toBe(200);
    });
  });

  describe('authentication timing', () => {
    it('an unknown user and a wrong password take the same time (medians within noise)', async () => {
      const path = `/v1.1/customer/get?mobile=${DEMO_MOBILE}`;
      const unknown = basic('nobody.at.all', 'demo.pass');
      const wrong = basic('demo.till', 'not.the.password');
      const once = async (auth: string): Promise<number> => {
        const started = performance.now();
        const res = await rawRequest(t.url, {
          method: 'GET',
          path,
          headers: { Authorization: auth },
        });
        const took = performance.now() - started;
        expect(res.status).toBe(401);
        return took;
      };
      for (let i = 0; i < 3; i++) {
        await once(unknown);
        await once(wrong);
      }
      const times = { unknown: [] as number[], wrong: [] as number[] };
      for (let i = 0; i < 30; i++) {
        // Alternate which goes first, so drift in the machine's load hits both alike.
        if (i % 2 === 0) {
          times.unknown.push(await once(unknown));
          times.wrong.push(await once(wrong));
        } else {
          times.wrong.push(await once(wrong));
          times.unknown.push(await once(unknown));
        }
      }
      const median = (xs: number[]) => {
        const s = [...xs].sort((a, b) => a - b);
        return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
      };
      const mu = median(times.unknown);
      const mw = median(times.wrong);
      const allowed = Math.max(0.25 * Math.max(mu, mw), 15);
      expect({ unknownMs: mu, wrongMs: mw, within: Math.abs(mu - mw) < allowed }).toEqual({
        unknownMs: expect.any(Number),
        wrongMs: expect.any(Number),
        within: true,
      });
    });
  });

  describe('validation codes cannot be brute-forced', () => {
    const redeemWith = (mobile: string, code: string) =>
      redeem(t, { points_redeemed: 1, customer: { mobile }, validation_code: code }, {});

    async function issueAndReadCode(customer: { id: number; mobile: string }): Promise<string> {
      const issued = await issueCode(t, { mobile: customer.mobile, points: '10' }, DEMO_TILL);
      expect(issuedOf(issued).item_status.code).toBe(200);
      const [newest] = await notificationsOf(t, customer.id);
      expect(newest.text).toMatch(/^Your validation code is [A-Z0-9]+/);
      return codeFromText(newest.text);
    }

    /** `n` codes of the same length that are not `code`. */
    const wrongCodes = (code: string, n: number): string[] =>
      'ABCDEFGHJK'
        .split('')
        .map((ch) => ch.repeat(code.length))
        .filter((c) => c !== code)
        .slice(0, n);

    async function maxAttempts(): Promise<number> {
      const config = await admin(t, 'get', '/admin/config');
      return config.body.otp_max_attempts as number;
    }

    const redemptionsOf = async (customerId: number) =>
      (
        await t.pg.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM redemption WHERE customer_id = $1',
          [customerId],
        )
      ).rows[0].n;

    it('after otp_max_attempts wrong codes on redeem, the right code is refused too (808)', async () => {
      const attempts = await maxAttempts();
      expect(attempts).toBe(5);
      const customer = await makeCustomer(t, [{ points: 100 }]);
      const code = await issueAndReadCode(customer);
      for (const guess of wrongCodes(code, attempts)) {
        expect(itemOf(await redeemWith(customer.mobile, guess)).item_status.code).toBe(808);
      }
      const right = await redeemWith(customer.mobile, code);
      expect(itemOf(right).item_status.code).toBe(808);
      expect(Number(await balanceOf(t, customer.id))).toBe(100);
      expect(await redemptionsOf(customer.id)).toBe(0);

      // Control: a newly issued code works, so the refusal above was the lockout.
      const fresh = await issueAndReadCode(customer);
      expect(itemOf(await redeemWith(customer.mobile, fresh)).item_status.code).toBe(800);
      expect(Number(await balanceOf(t, customer.id))).toBe(99);
    });

    it('wrong codes tried through isredeemable count toward the same lockout', async () => {
      const attempts = await maxAttempts();
      const customer = await makeCustomer(t, [{ points: 100 }]);
      const code = await issueAndReadCode(customer);
      for (const guess of wrongCodes(code, attempts)) {
        const res = await isRedeemable(t, {
          mobile: customer.mobile,
          points: '1',
          validation_code: guess,
        });
        expect(redeemableOf(res).item_status.code).toBe(808);
      }
      const dry = await isRedeemable(t, {
        mobile: customer.mobile,
        points: '1',
        validation_code: code,
      });
      expect(redeemableOf(dry).item_status.code).toBe(808);
      expect(itemOf(await redeemWith(customer.mobile, code)).item_status.code).toBe(808);
      expect(Number(await balanceOf(t, customer.id))).toBe(100);
      expect(await redemptionsOf(customer.id)).toBe(0);
    });
  });

  describe('logs carry no passwords, Authorization headers or validation codes', () => {
    let logged: TestApp;
    const captured: string[] = [];
    // Kept unbound on purpose: it is put back as the very same function.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const originalWrite = process.stdout.write;

    beforeAll(async () => {
      // Replaced before the app starts, so pino writes through process.stdout.write.
      process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
        captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        const done = rest.find((r): r is () => void => typeof r === 'function');
        done?.();
        return true;
      };
      try {
        // nestjs-pino keeps its out-of-request logger in a module-level variable, set by the
        // first app of the process (the silent one above); a fresh module registry gives this
        // app its own, as a production process has.
        await jest.isolateModulesAsync(async () => {
          const { startTestApp: start } = await import('../support/test-app');
          logged = await start('seclogs', {
            LOG_LEVEL: 'debug',
            NOTIFICATION_POLL_MS: '50',
            RATE_LIMIT_PER_MINUTE: '100000',
          });
        });
      } catch (err) {
        process.stdout.write = originalWrite;
        throw err;
      }
    });

    afterAll(async () => {
      await logged?.close();
      process.stdout.write = originalWrite;
    });

    it('while authenticating, failing to, issuing, delivering and using a code', async () => {
      const plain = (user: string, password: string) =>
        `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      const auths = {
        tillMd5: DEMO_TILL,
        tillPlain: plain('demo.till', 'demo.pass'),
        adminMd5: DEMO_ADMIN,
        adminPlain: plain('demo.admin', 'admin.pass'),
        wrongMd5: basic('demo.till', 'wrong.pass'),
        wrongPlain: plain('demo.till', 'wrong.pass'),
        unknown: plain('nobody.at.all', 'demo.pass'),
      };
      const requestIds: string[] = [];
      const track = (res: Res): Res => {
        requestIds.push(String(res.headers['x-cap-requestid']));
        return res;
      };
      const customer = await makeCustomer(logged, [{ points: 100 }]);
      const at = (path: string, auth: string) =>
        request(logged.url).get(path).set('Authorization', auth);

      for (const auth of [auths.tillMd5, auths.tillPlain]) {
        const res = track(await at(`/v1.1/customer/get?mobile=${customer.mobile}`, auth));
        expect(res.status).toBe(200);
      }
      for (const auth of [auths.adminMd5, auths.adminPlain]) {
        expect(track(await at('/admin/config', auth)).status).toBe(200);
      }
      for (const auth of [auths.wrongMd5, auths.wrongPlain, auths.unknown]) {
        expect(track(await at(`/v1.1/customer/get?mobile=${customer.mobile}`, auth)).status).toBe(
          401,
        );
      }

      const issued = track(
        await at(
          `/v1.1/points/validationcode?mobile=${customer.mobile}&points=10`,
          auths.tillPlain,
        ),
      );
      expect(issuedOf(issued).item_status.code).toBe(200);
      const sent = await waitFor(
        async () => {
          const [n] = await notificationsOf(logged, customer.id);
          return n?.sent_at ? n : undefined;
        },
        10_000,
        'the outbox to deliver the code',
      );
      const code = codeFromText(sent.text);

      const dry = track(
        await at(
          `/v1.1/points/isredeemable?mobile=${customer.mobile}&points=1&validation_code=${code}`,
          auths.tillMd5,
        ),
      );
      expect(redeemableOf(dry).item_status.code).toBe(800);
      const used = track(
        await redeem(
          logged,
          { points_redeemed: 1, customer: { mobile: customer.mobile }, validation_code: code },
          {},
          auths.tillPlain,
        ),
      );
      expect(itemOf(used).item_status.code).toBe(800);

      const text = captured.join('');
      // There are logs: request lines with their ids, and the delivery (masked).
      expect(text.length).toBeGreaterThan(0);
      for (const id of requestIds) expect(text).toContain(id);
      expect(text).toMatch(/Your validation code is \*+/);

      const secrets: Record<string, string> = {
        'demo.pass': 'demo.pass',
        'admin.pass': 'admin.pass',
        'wrong.pass': 'wrong.pass',
        'md5(demo.pass)': md5('demo.pass'),
        'md5(admin.pass)': md5('admin.pass'),
        'md5(wrong.pass)': md5('wrong.pass'),
      };
      for (const [name, header] of Object.entries(auths)) {
        secrets[`Authorization ${name}`] = header;
        secrets[`base64 of ${name}`] = header.slice('Basic '.length);
      }
      const found = Object.entries(secrets)
        .filter(([, secret]) => text.includes(secret))
        .map(([name]) => name);
      expect(found).toEqual([]);
      const codeToken = new RegExp(`(?<![A-Za-z0-9])${code}(?![A-Za-z0-9])`);
      expect(codeToken.test(text)).toBe(false);
      // Customer identifiers in URLs are masked too.
      expect(text).not.toContain(customer.mobile);
    });
  });
});
