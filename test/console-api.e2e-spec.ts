import request from 'supertest';
import { admin, balanceOf, createTill, credit, makeCustomer, redeem } from './support/api';
import { basic, DEMO_TILL, OTHER_ADMIN } from './support/credentials';
import { itemOf } from './support/redeem-helpers';
import { startTestApp, TestApp } from './support/test-app';

// The admin endpoints the operator console needs (DESIGN.md §12, §13), beside the ones
// test/admin.e2e-spec.ts covers: searches, keyset pages, reversal, stats, tills, audit.

interface AuditEntryJson {
  id: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string;
  created_at: string;
}

describe('admin API for the console', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('console_api', { RATE_LIMIT_PER_MINUTE: '100000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The newest audit entries of a target, as the console reads them. */
  const auditOf = async (targetType: string, targetId: string | number) => {
    const res = await admin(
      t,
      'get',
      `/admin/audit?target_type=${targetType}&target_id=${targetId}&limit=100`,
    );
    expect(res.status).toBe(200);
    return (res.body as { entries: AuditEntryJson[] }).entries;
  };

  describe('customer search', () => {
    it('finds a customer by id and by every identifier, a mobile in any shape', async () => {
      // A real Indian mobile: 91 and a 10-digit national number.
      const national = `98${String(Date.now()).slice(-8)}`;
      const created = await admin(t, 'post', '/admin/customers', { mobile: `91${national}` });
      expect(created.status).toBe(201);
      const c = { id: (created.body as { id: number }).id, mobile: `91${national}` };
      for (const q of [
        String(c.id),
        c.mobile,
        `+${c.mobile}`,
        national,
        `${national.slice(0, 5)} ${national.slice(5)}`,
      ]) {
        const res = await admin(t, 'get', `/admin/customers?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(200);
        expect((res.body as { id: number }[]).map((x) => x.id)).toContain(c.id);
      }
      const email = `Search.${c.id}@Example.com`;
      const byEmail = await admin(t, 'post', '/admin/customers', { email });
      expect(byEmail.status).toBe(201);
      const found = await admin(
        t,
        'get',
        `/admin/customers?q=${encodeURIComponent(email.toLowerCase())}`,
      );
      expect(found.body).toEqual([expect.objectContaining({ email })]);
    });

    it('an empty query finds nothing; another org finds nothing of this one', async () => {
      const c = await makeCustomer(t);
      expect((await admin(t, 'get', '/admin/customers?q=')).body).toEqual([]);
      const other = await admin(t, 'get', `/admin/customers?q=${c.mobile}`, undefined, OTHER_ADMIN);
      expect(other.status).toBe(200);
      expect(other.body).toEqual([]);
    });
  });

  describe('lots, ledger and redemptions of a customer', () => {
    it('open lots soonest expiry first, with exact amounts', async () => {
      const c = await makeCustomer(t, [
        { points: '10.5', expires_at: '2031-01-01T00:00:00Z' },
        { points: 20 },
        { points: 5, expires_at: '2030-01-01T00:00:00Z' },
      ]);
      const res = await admin(t, 'get', `/admin/customers/${c.id}/lots`);
      expect(res.status).toBe(200);
      const lots = res.body as { amount: number; remaining: number; expires_at: string | null }[];
      expect(lots.map((l) => [l.amount, l.expires_at])).toEqual([
        [5, '2030-01-01T00:00:00.000Z'],
        [10.5, '2031-01-01T00:00:00.000Z'],
        [20, null],
      ]);
      expect(res.text).toContain('"amount":10.5');
    });

    it('the ledger pages newest first by keyset, each page disjoint, to the end', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      for (let i = 1; i <= 4; i++) {
        expect(
          itemOf(await redeem(t, { points_redeemed: i, customer: { mobile: c.mobile } }))
            .item_status.code,
        ).toBe(800);
      }
      const seen: string[] = [];
      let before: string | null = null;
      const kinds: string[] = [];
      do {
        const res = await admin(
          t,
          'get',
          `/admin/customers/${c.id}/ledger?limit=2${before ? `&before=${before}` : ''}`,
        );
        expect(res.status).toBe(200);
        const page = res.body as {
          entries: { id: string; kind: string; amount: number; balance_after: number }[];
          next_before: string | null;
        };
        seen.push(...page.entries.map((e) => e.id));
        kinds.push(...page.entries.map((e) => `${e.kind} ${e.amount} → ${e.balance_after}`));
        before = page.next_before;
      } while (before);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
      expect(kinds).toEqual([
        'REDEMPTION -4 → 90',
        'REDEMPTION -3 → 94',
        'REDEMPTION -2 → 97',
        'REDEMPTION -1 → 99',
        'CREDIT 100 → 100',
      ]);
    });

    it('redemptions page newest first with their reversals', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const codes: string[] = [];
      for (const n of [5, 6, 7]) {
        codes.push(
          itemOf(await redeem(t, { points_redeemed: n, customer: { mobile: c.mobile } }))
            .redemption_id!,
        );
      }
      const first = await admin(t, 'get', `/admin/customers/${c.id}/redemptions?limit=2`);
      expect(first.status).toBe(200);
      const page1 = first.body as {
        redemptions: { redemption_id: string; points: number }[];
        next_before: string;
      };
      expect(page1.redemptions.map((r) => r.redemption_id)).toEqual([codes[2], codes[1]]);
      const second = await admin(
        t,
        'get',
        `/admin/customers/${c.id}/redemptions?limit=2&before=${page1.next_before}`,
      );
      expect(
        (second.body as { redemptions: { redemption_id: string }[] }).redemptions.map(
          (r) => r.redemption_id,
        ),
      ).toEqual([codes[0]]);
    });

    it.each([
      ['before=abc', 400],
      ['before=0', 400],
      ['limit=0', 400],
      ['limit=101', 400],
      ['limit=2&limit=3', 400],
    ])('a bad page query (%s) is %d', async (query, status) => {
      const c = await makeCustomer(t);
      const res = await admin(t, 'get', `/admin/customers/${c.id}/ledger?${query}`);
      expect(res.status).toBe(status);
      expect(res.body.response.status.code).toBe(status);
    });

    it("another org's customer is a 404", async () => {
      const c = await makeCustomer(t, [{ points: 5 }]);
      for (const path of ['lots', 'ledger', 'redemptions']) {
        const res = await admin(
          t,
          'get',
          `/admin/customers/${c.id}/${path}`,
          undefined,
          OTHER_ADMIN,
        );
        expect(res.status).toBe(404);
      }
    });
  });

  describe('reverse from the console', () => {
    it('half, then the rest, then 409; the audit log has both with their request ids', async () => {
      const c = await makeCustomer(t, [{ points: 100 }]);
      const code = itemOf(
        await redeem(t, { points_redeemed: 40, customer: { mobile: c.mobile } }),
      ).redemption_id!;
      const half = await admin(t, 'post', `/admin/redemptions/${code}/reverse`, { points: '20' });
      expect(half.status).toBe(200);
      expect(half.body).toMatchObject({
        redemption_id: code,
        points_requested: 20,
        points_reversed: 20,
        points_expired: 0,
        balance: 80,
      });
      const rest = await admin(t, 'post', `/admin/redemptions/${code}/reverse`, {});
      expect(rest.body).toMatchObject({ points_reversed: 20, balance: 100 });
      const again = await admin(t, 'post', `/admin/redemptions/${code}/reverse`, {});
      expect(again.status).toBe(409);
      expect(await balanceOf(t, c.id)).toBe('100.000');
      const ledger = await admin(t, 'get', `/admin/customers/${c.id}/ledger?limit=1`);
      expect(ledger.body.entries[0]).toMatchObject({ kind: 'REVERSAL', actor_type: 'admin' });
      const entries = await auditOf('redemption', code);
      expect(entries.map((e) => e.action)).toEqual(['redemption.reverse', 'redemption.reverse']);
      expect(entries[1].after).toMatchObject({ restored: '20', requested: '20' });
      expect(entries[0].request_id).toBe(rest.headers['x-cap-requestid']);
    });

    it('unknown → 404; more than is left → 400; another org → 404; a till → 403', async () => {
      const c = await makeCustomer(t, [{ points: 10 }]);
      const code = itemOf(
        await redeem(t, { points_redeemed: 4, customer: { mobile: c.mobile } }),
      ).redemption_id!;
      expect((await admin(t, 'post', '/admin/redemptions/zzzzzz/reverse', {})).status).toBe(404);
      expect((await admin(t, 'post', '/admin/redemptions/bad!/reverse', {})).status).toBe(404);
      const tooMuch = await admin(t, 'post', `/admin/redemptions/${code}/reverse`, { points: 5 });
      expect(tooMuch.status).toBe(400);
      expect(tooMuch.body.response.errors[0].field).toBe('points');
      const other = await admin(t, 'post', `/admin/redemptions/${code}/reverse`, {}, OTHER_ADMIN);
      expect(other.status).toBe(404);
      const till = await admin(t, 'post', `/admin/redemptions/${code}/reverse`, {}, DEMO_TILL);
      expect(till.status).toBe(403);
      expect(await balanceOf(t, c.id)).toBe('6.000');
    });
  });

  describe('stats for the dashboard', () => {
    it('counts redemptions and points per hour and program, refused codes and the outbox', async () => {
      const before = (await admin(t, 'get', '/admin/stats?hours=24')).body as {
        hourly: { redemptions: number; points: number }[];
        refusals: { code: number; count: number }[];
      };
      const sum = (s: typeof before) => ({
        redemptions: s.hourly.reduce((a, h) => a + h.redemptions, 0),
        points: s.hourly.reduce((a, h) => a + h.points, 0),
        refused803: s.refusals.find((r) => r.code === 803)?.count ?? 0,
      });
      const c = await makeCustomer(t, [{ points: 10 }]);
      await redeem(
        t,
        { points_redeemed: '2.5', customer: { mobile: c.mobile } },
        {
          skip_validation: 'true',
        },
      );
      await redeem(t, { points_redeemed: 3, customer: { mobile: c.mobile } });
      await redeem(t, [
        { points_redeemed: 50, customer: { mobile: c.mobile } },
        { points_redeemed: 60, customer: { mobile: c.mobile } },
      ]);
      const res = await admin(t, 'get', '/admin/stats?hours=24');
      expect(res.status).toBe(200);
      const after = res.body as typeof before & { outbox: { unsent: number } };
      const [b, a] = [sum(before), sum(after)];
      expect(a.redemptions - b.redemptions).toBe(1);
      expect(a.points - b.points).toBe(3);
      expect(a.refused803 - b.refused803).toBe(2);
      expect(after.refusals.find((r) => r.code === 803)).toMatchObject({
        message: expect.stringMatching(/\S/),
      });
      expect(typeof after.outbox.unsent).toBe('number');
      expect((await admin(t, 'get', '/admin/stats?hours=0')).status).toBe(400);
      expect((await admin(t, 'get', '/admin/stats?hours=169')).status).toBe(400);
    });
  });

  describe('tills', () => {
    it('deactivate: its sign-ins fail at once; reactivate and move it to another group', async () => {
      await createTill(t, 'demo.console1', 'console-pass-1');
      const tills = (await admin(t, 'get', '/admin/tills')).body as {
        id: number;
        username: string;
      }[];
      const till = tills.find((x) => x.username === 'demo.console1')!;
      const auth = basic('demo.console1', 'console-pass-1');
      const read = () =>
        request(t.url)
          .get('/v1.1/customer/get')
          .query({ mobile: '919900000001' })
          .set('Authorization', auth);
      expect((await read()).status).toBe(200);
      const off = await admin(t, 'patch', `/admin/tills/${till.id}`, { active: false });
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ active: false, access_group: 'Default' });
      expect((await read()).status).toBe(401);
      const on = await admin(t, 'patch', `/admin/tills/${till.id}`, {
        active: true,
        access_group: 'Read only',
      });
      expect(on.body).toMatchObject({ active: true, access_group: 'Read only' });
      expect((await read()).status).toBe(200);
      const redeemAttempt = await redeem(
        t,
        { points_redeemed: 1, customer: { mobile: '919900000001' } },
        {},
        auth,
      );
      expect(redeemAttempt.status).toBe(403);
      const entries = await auditOf('till', till.id);
      expect(entries.map((e) => e.action)).toEqual(['till.update', 'till.update', 'till.create']);
      expect(entries[1].before).toMatchObject({ active: true });
      expect(entries[1].after).toMatchObject({ active: false });
      expect(JSON.stringify(entries)).not.toContain('console-pass-1');
    });

    it('an admin cannot lock itself out; unknown group → 404; empty patch → 400', async () => {
      const tills = (await admin(t, 'get', '/admin/tills')).body as {
        id: number;
        username: string;
      }[];
      const me = tills.find((x) => x.username === 'demo.admin')!;
      const self = await admin(t, 'patch', `/admin/tills/${me.id}`, { active: false });
      expect(self.status).toBe(400);
      const demote = await admin(t, 'patch', `/admin/tills/${me.id}`, { access_group: 'Default' });
      expect(demote.status).toBe(400);
      const unknown = await admin(t, 'patch', `/admin/tills/${me.id}`, { access_group: 'Nope' });
      expect(unknown.status).toBe(404);
      expect((await admin(t, 'patch', `/admin/tills/${me.id}`, {})).status).toBe(400);
      const other = await admin(
        t,
        'patch',
        `/admin/tills/${me.id}`,
        { active: false },
        OTHER_ADMIN,
      );
      expect(other.status).toBe(404);
    });
  });

  describe('the audit log', () => {
    it('records every kind of admin write with actor, before and after', async () => {
      const config = await admin(t, 'patch', '/admin/config', { otp_validity_minutes: 9 });
      expect(config.status).toBe(200);
      const program = await admin(t, 'post', '/admin/programs', { name: 'Audit program' });
      await admin(t, 'patch', `/admin/programs/${program.body.id}`, { min_redeem: 2 });
      const c = await makeCustomer(t);
      await admin(t, 'patch', `/admin/customers/${c.id}`, { fraud_status: 'MARKED' });
      await credit(t, { customer_id: c.id, points: '12.5', note: 'goodwill' });
      const group = await admin(t, 'post', '/admin/groups', {
        external_id: `audit-${c.id}`,
        primary_customer_id: c.id,
      });
      const member = await makeCustomer(t);
      await admin(t, 'post', `/admin/groups/${group.body.id}/members`, { customer_id: member.id });
      await admin(t, 'patch', `/admin/groups/${group.body.id}`, { redemption_enabled: false });
      const field = await admin(t, 'post', '/admin/custom-fields', { name: `audit_${c.id}` });
      const call = await admin(t, 'post', '/admin/missed-calls', { mobile: c.mobile });
      await admin(t, 'patch', '/admin/config', { otp_validity_minutes: 15 });

      const configEntries = await auditOf('config', (await orgOf('demo')).toString());
      expect(configEntries[1]).toMatchObject({
        actor: 'demo.admin',
        action: 'config.update',
        after: expect.objectContaining({ otp_validity_minutes: 9 }),
      });
      expect(configEntries[0].before).toMatchObject({ otp_validity_minutes: 9 });
      const programEntries = await auditOf('program', program.body.id);
      expect(programEntries.map((e) => e.action)).toEqual(['program.update', 'program.create']);
      expect(programEntries[0].before).toMatchObject({ minRedeem: '0' });
      expect(programEntries[0].after).toMatchObject({ minRedeem: '2' });
      const customerEntries = await auditOf('customer', c.id);
      expect(customerEntries.map((e) => e.action)).toEqual([
        'points.credit',
        'customer.update',
        'customer.create',
      ]);
      expect(customerEntries[0].after).toMatchObject({ points: '12.5', note: 'goodwill' });
      expect(customerEntries[1].after).toMatchObject({ fraud_status: 'MARKED' });
      const groupEntries = await auditOf('group', group.body.id);
      expect(groupEntries.map((e) => e.action)).toEqual([
        'group.update',
        'group.member_add',
        'group.create',
      ]);
      expect((await auditOf('custom_field', field.body.id))[0].action).toBe('custom_field.create');
      expect((await auditOf('missed_call', call.body.id))[0].action).toBe('missed_call.record');
      for (const e of [...configEntries, ...programEntries, ...customerEntries]) {
        expect(e.request_id).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    const orgOf = async (code: string) =>
      (await t.pg.query<{ id: number }>('SELECT id FROM org WHERE code = $1', [code])).rows[0].id;

    it('is append-only: UPDATE and DELETE are refused by the database', async () => {
      await admin(t, 'patch', '/admin/config', { otp_validity_minutes: 15 });
      await expect(t.pg.query("UPDATE audit_log SET actor = 'x'")).rejects.toThrow(/append-only/);
      await expect(t.pg.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    });

    it('a refused write leaves no entry; reads leave none', async () => {
      const count = async () =>
        (await t.pg.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
      const before = await count();
      expect((await admin(t, 'patch', '/admin/config', { otp_validity_minutes: 0 })).status).toBe(
        400,
      );
      expect((await admin(t, 'post', '/admin/programs', { name: 'Default' })).status).toBe(409);
      expect(
        (
          await admin(t, 'post', '/admin/tills', {
            username: 'demo.till',
            password: 'long-enough',
            access_group: 'Default',
          })
        ).status,
      ).toBe(409);
      await admin(t, 'get', '/admin/config');
      await admin(t, 'get', '/admin/audit');
      expect(await count()).toBe(before);
    });

    it('pages by keyset and filters by action; another org sees only its own', async () => {
      const res = await admin(t, 'get', '/admin/audit?limit=2&action=config.update');
      expect(res.status).toBe(200);
      const page = res.body as { entries: AuditEntryJson[]; next_before: string };
      expect(page.entries).toHaveLength(2);
      expect(page.entries.every((e) => e.action === 'config.update')).toBe(true);
      const next = await admin(
        t,
        'get',
        `/admin/audit?limit=2&action=config.update&before=${page.next_before}`,
      );
      const ids = (next.body as { entries: AuditEntryJson[] }).entries.map((e) => Number(e.id));
      expect(ids.every((id) => id < Number(page.next_before))).toBe(true);
      const other = await admin(t, 'get', '/admin/audit', undefined, OTHER_ADMIN);
      expect(
        (other.body as { entries: AuditEntryJson[] }).entries.every((e) =>
          e.actor.startsWith('other.'),
        ),
      ).toBe(true);
    });
  });

  describe('lists', () => {
    it('groups and missed calls, newest first', async () => {
      const c = await makeCustomer(t);
      const g = await admin(t, 'post', '/admin/groups', {
        external_id: `list-${c.id}`,
        primary_customer_id: c.id,
      });
      const groups = (await admin(t, 'get', '/admin/groups')).body as { id: number }[];
      expect(groups[0].id).toBe(g.body.id);
      await admin(t, 'post', '/admin/missed-calls', { mobile: `+${c.mobile}` });
      const calls = (await admin(t, 'get', '/admin/missed-calls')).body as { mobile: string }[];
      expect(calls[0].mobile).toBe(c.mobile);
    });
  });
});
