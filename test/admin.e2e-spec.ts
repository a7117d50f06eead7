import request from 'supertest';
import { admin, makeCustomer, redeem } from './support/api';
import { basic, DEMO_MOBILE } from './support/credentials';
import { startTestApp, TestApp } from './support/test-app';

describe('admin API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('admin');
  });
  afterAll(async () => {
    await t.close();
  });

  it('the rows redemptions and the ledger refer to are never deleted nor renumbered', async () => {
    await redeem(t, { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } });
    for (const table of ['org', 'program', 'app_user', 'customer', 'wallet', 'lot', 'redemption']) {
      // A row trigger refuses the delete (a distributed database takes no statement triggers).
      await expect(
        t.pg.query(`DELETE FROM ${table} WHERE id = (SELECT min(id) FROM ${table})`),
      ).rejects.toThrow(/never deleted nor renumbered/);
      // Ids are generated ALWAYS: no UPDATE may set one.
      await expect(t.pg.query(`UPDATE ${table} SET id = id + 1 WHERE false`)).rejects.toThrow(
        /can only be updated to DEFAULT/,
      );
    }
    // Other columns change as before (a till is deactivated, a program renamed).
    await t.pg.query(`UPDATE program SET name = name WHERE false`);
  });

  it('creates and patches programs; exactly one default; limits validated', async () => {
    const created = await admin(t, 'post', '/admin/programs', {
      name: 'Promo',
      min_redeem: '2.5',
      max_redeem: 100,
      redeem_multiple_of: null,
      decimal_places: 1,
      points_currency_ratio: '0.25',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Promo',
      is_default: false,
      min_redeem: 2.5,
      max_redeem: 100,
      decimal_places: 1,
    });
    expect(created.text).toContain('"points_currency_ratio":0.25');

    const dup = await admin(t, 'post', '/admin/programs', { name: 'Promo' });
    expect(dup.status).toBe(409);
    expect(dup.body.response.status.code).toBe(409);

    const badRange = await admin(t, 'patch', `/admin/programs/${created.body.id}`, {
      max_redeem: 1,
    });
    expect(badRange.status).toBe(400);

    const makeDefault = await admin(t, 'patch', `/admin/programs/${created.body.id}`, {
      is_default: true,
    });
    expect(makeDefault.status).toBe(200);
    const list = await admin(t, 'get', '/admin/programs');
    const programs = list.body as { id: number; name: string; is_default: boolean }[];
    expect(programs.filter((p) => p.is_default)).toHaveLength(1);
    expect(programs.find((p) => p.is_default)?.id).toBe(created.body.id);

    const unsetLast = await admin(t, 'patch', `/admin/programs/${created.body.id}`, {
      is_default: false,
    });
    expect(unsetLast.status).toBe(400);
    // Back to the seed's default so other tests see the usual rules.
    const original = programs.find((p) => p.name === 'Default');
    expect(
      (await admin(t, 'patch', `/admin/programs/${original?.id}`, { is_default: true })).status,
    ).toBe(200);

    expect((await admin(t, 'patch', '/admin/programs/999999', { name: 'x' })).status).toBe(404);
    expect((await admin(t, 'patch', '/admin/programs/abc', { name: 'x' })).status).toBe(400);
  });

  it('creates tills that can log in with their access group, and refuses duplicates', async () => {
    const groups = await admin(t, 'get', '/admin/access-groups');
    expect((groups.body as { name: string }[]).map((g) => g.name)).toEqual([
      'Default',
      'Read only',
      'Admin',
    ]);

    const till = await admin(t, 'post', '/admin/tills', {
      username: 'demo.store42',
      password: 'a long secret',
      access_group: 'Read only',
    });
    expect(till.status).toBe(201);
    expect(till.body).toMatchObject({
      username: 'demo.store42',
      access_group: 'Read only',
      active: true,
    });

    const read = await request(t.url)
      .get('/v1.1/customer/get')
      .query({ mobile: DEMO_MOBILE })
      .set('Authorization', basic('demo.store42', 'a long secret'));
    expect(read.status).toBe(200);
    const write = await redeem(
      t,
      { points_redeemed: 1, customer: { mobile: DEMO_MOBILE } },
      { skip_validation: 'true' },
      basic('demo.store42', 'a long secret'),
    );
    expect(write.status).toBe(403);

    expect(
      (
        await admin(t, 'post', '/admin/tills', {
          username: 'demo.store42',
          password: 'another secret',
          access_group: 'Default',
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await admin(t, 'post', '/admin/tills', {
          username: 'demo.x',
          password: 'another secret',
          access_group: 'Nope',
        })
      ).status,
    ).toBe(404);
    expect(
      (await admin(t, 'post', '/admin/tills', { username: 'bad name!', password: 'short' })).status,
    ).toBe(400);
    const tills = await admin(t, 'get', '/admin/tills');
    expect((tills.body as { username: string }[]).map((u) => u.username)).toContain('demo.store42');
    expect(tills.text).not.toContain('password');
  });

  it('customers: create, read with wallets, duplicate identifiers, fraud flag', async () => {
    const none = await admin(t, 'post', '/admin/customers', { firstname: 'No identifier' });
    expect(none.status).toBe(400);
    const { id, mobile } = await makeCustomer(t, [{ points: 30 }]);
    const dup = await admin(t, 'post', '/admin/customers', { mobile });
    expect(dup.status).toBe(409);

    const read = await admin(t, 'get', `/admin/customers/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, mobile, fraud_status: 'NONE' });
    expect(read.body.wallets[0]).toMatchObject({ balance: 30, lifetime_points: 30 });

    const flagged = await admin(t, 'patch', `/admin/customers/${id}`, {
      fraud_status: 'CONFIRMED',
    });
    expect(flagged.body.fraud_status).toBe('CONFIRMED');
    expect(
      (await admin(t, 'patch', `/admin/customers/${id}`, { fraud_status: 'MAYBE' })).status,
    ).toBe(400);
    expect((await admin(t, 'get', '/admin/customers/999999')).status).toBe(404);
  });

  it('groups: create with members, add a member, read; credit validation', async () => {
    const a = await makeCustomer(t);
    const b = await makeCustomer(t);
    const group = await admin(t, 'post', '/admin/groups', {
      external_id: `fam-${a.id}`,
      primary_customer_id: a.id,
    });
    expect(group.status).toBe(201);
    expect(group.body.member_ids).toEqual([a.id]);
    const added = await admin(t, 'post', `/admin/groups/${group.body.id}/members`, {
      customer_id: b.id,
    });
    expect(added.body.member_ids).toEqual([a.id, b.id]);
    expect(
      (
        await admin(t, 'post', '/admin/groups', {
          external_id: `fam-${a.id}`,
          primary_customer_id: b.id,
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await admin(t, 'post', '/admin/groups', {
          external_id: 'orphan',
          primary_customer_id: 999999,
        })
      ).status,
    ).toBe(404);

    const both = await admin(t, 'post', '/admin/points/credit', {
      customer_id: a.id,
      group_id: group.body.id,
      points: 1,
    });
    expect(both.status).toBe(400);
    const past = await admin(t, 'post', '/admin/points/credit', {
      customer_id: a.id,
      points: 1,
      expires_at: '2000-01-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    const tooPrecise = await admin(t, 'post', '/admin/points/credit', {
      customer_id: a.id,
      points: '1.0001',
    });
    expect(tooPrecise.status).toBe(400);
    expect(tooPrecise.body.response.errors[0].field).toBe('points');
  });

  it('custom fields are per org and unique', async () => {
    expect((await admin(t, 'post', '/admin/custom-fields', { name: 'channel' })).status).toBe(201);
    expect((await admin(t, 'post', '/admin/custom-fields', { name: 'channel' })).status).toBe(409);
    const list = await admin(t, 'get', '/admin/custom-fields');
    expect(list.body).toEqual([expect.objectContaining({ name: 'channel', scope: 'redemption' })]);
  });
});
