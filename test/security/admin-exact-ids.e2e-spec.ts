import request from 'supertest';
import { balanceOf, createCustomer, orgIdOf, writeCounts } from '../support/api';
import { DEMO_ADMIN } from '../support/credentials';
import { startTestApp, TestApp } from '../support/test-app';

// Security review, finding 1: an id on /admin is the integer the client wrote, never what a
// float makes of its text. Bodies are sent as raw text: JSON.stringify would rewrite
// 4.9999999999999999 as 5 before it left the test.
jest.setTimeout(60_000);

interface FieldErrors {
  response: {
    status: { success: string; code: number };
    errors?: { field: string; message: string }[];
  };
}

function rawAdmin(t: TestApp, method: 'get' | 'post' | 'patch', path: string, body?: string) {
  const req = request(t.url)[method](path).set('Authorization', DEMO_ADMIN);
  return body === undefined ? req : req.set('Content-Type', 'application/json').send(body);
}

/** A 400 in the admin envelope that names `field` (and no stack trace or SQL). */
function expectFieldRefused(res: request.Response, field: string): void {
  expect(res.status).toBe(400);
  const body = res.body as FieldErrors;
  expect(body.response.status).toMatchObject({ success: 'false', code: 400 });
  expect(body.response.errors?.map((e) => e.field)).toContain(field);
  expect(res.text).not.toMatch(/\bat \w+ \(|SELECT|INSERT/);
}

describe('security review: /admin ids are exact integers in the JSON text', () => {
  let t: TestApp;
  let demoCustomers: number[];

  beforeAll(async () => {
    t = await startTestApp('admin_exact_ids');
    // Customers 1 and 5 must exist in demo, or a rounded id would name nobody (a 404) and
    // prove nothing. Ids come from one sequence for every org: create until 5 is demo's.
    const demo = await orgIdOf(t, 'demo');
    for (let i = 0; i < 10; i++) {
      const { rows } = await t.pg.query<{ id: number }>(
        'SELECT id FROM customer WHERE org_id = $1 AND id IN (1, 5) ORDER BY id',
        [demo],
      );
      demoCustomers = rows.map((r) => r.id);
      if (demoCustomers.includes(5)) break;
      await createCustomer(t, { mobile: `9198123450${String(i).padStart(2, '0')}` });
    }
    expect(demoCustomers).toEqual([1, 5]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['4.9999999999999999', 5],
    ['1.0000000000000001', 1],
    ['1e0', 1],
    ['5.0', 5],
    ['5e0', 5],
  ])(
    'credit {"customer_id": %s, "points": 1} is a 400 naming customer_id; customer %i gets nothing',
    async (literal, rounded) => {
      const before = await writeCounts(t);
      const balance = await balanceOf(t, rounded);
      const res = await rawAdmin(
        t,
        'post',
        '/admin/points/credit',
        `{"customer_id": ${literal}, "points": 1}`,
      );
      expectFieldRefused(res, 'customer_id');
      expect(await balanceOf(t, rounded)).toBe(balance);
      expect(await writeCounts(t)).toEqual(before);
    },
  );

  it('the same credit with the id written as an integer is a 201 (the refusals above are about the text only)', async () => {
    const balance = Number(await balanceOf(t, 5));
    const res = await rawAdmin(
      t,
      'post',
      '/admin/points/credit',
      '{"customer_id": 5, "points": 1}',
    );
    expect(res.status).toBe(201);
    expect(Number(await balanceOf(t, 5))).toBe(balance + 1);
  });

  it('program_id, group_id, member_ids, primary_customer_id and access_group are held to the same rule', async () => {
    const before = await writeCounts(t);
    const cases: [string, string, string][] = [
      [
        '/admin/points/credit',
        '{"customer_id": 5, "program_id": 1.0000000000000001, "points": 1}',
        'program_id',
      ],
      ['/admin/points/credit', '{"group_id": 1e0, "points": 1}', 'group_id'],
      [
        '/admin/groups',
        '{"external_id": "g-float", "primary_customer_id": 4.9999999999999999}',
        'primary_customer_id',
      ],
      [
        '/admin/groups',
        '{"external_id": "g-float", "primary_customer_id": 1, "member_ids": [4.9999999999999999]}',
        'member_ids',
      ],
      [
        '/admin/tills',
        '{"username": "float.till", "password": "float-pass-1", "access_group": 1.0000000000000001}',
        'access_group',
      ],
      [
        '/admin/tills',
        '{"username": "float.till", "password": "float-pass-1", "access_group": "1e0"}',
        'access_group',
      ],
    ];
    for (const [path, body, field] of cases) {
      expectFieldRefused(await rawAdmin(t, 'post', path, body), field);
    }
    const { rows } = await t.pg.query<{ groups: number; tills: number }>(
      `SELECT (SELECT count(*) FROM customer_group WHERE external_id = 'g-float')::int AS groups,
              (SELECT count(*) FROM app_user WHERE username = 'float.till')::int AS tills`,
    );
    expect(rows[0]).toEqual({ groups: 0, tills: 0 });
    expect(await writeCounts(t)).toEqual(before);
  });

  it('a till patched with access_group 4.9999999999999999 keeps its group', async () => {
    const till = await rawAdmin(
      t,
      'post',
      '/admin/tills',
      '{"username": "demo.exact.till", "password": "exact-pass-1", "access_group": "Read only"}',
    );
    expect(till.status).toBe(201);
    const id = (till.body as { id: number | string }).id;
    const res = await rawAdmin(
      t,
      'patch',
      `/admin/tills/${id}`,
      '{"access_group": 4.9999999999999999}',
    );
    expectFieldRefused(res, 'access_group');
    const list = await rawAdmin(t, 'get', '/admin/tills');
    const row = (list.body as { username: string; access_group: string }[]).find(
      (r) => r.username === 'demo.exact.till',
    );
    expect(row?.access_group).toBe('Read only');
  });

  it.each(['4.9999999999999999', '5.0', '5e0', '0x5', '+5', '%205'])(
    'a path id written %s is a 400, not customer 5',
    async (text) => {
      expectFieldRefused(await rawAdmin(t, 'get', `/admin/customers/${text}`), 'id');
    },
  );

  it('decimal fields keep their exact text: 1.0, 0.125 and 1e2 credit exactly that', async () => {
    for (const [literal, credited] of [
      ['1.0', '1'],
      ['0.125', '0.125'],
      ['1e2', '100'],
    ]) {
      const before = await balanceOf(t, 5);
      const res = await rawAdmin(
        t,
        'post',
        '/admin/points/credit',
        `{"customer_id": 5, "points": ${literal}}`,
      );
      expect(res.status).toBe(201);
      const { rows } = await t.pg.query<{ diff: string }>(
        'SELECT ($1::numeric - $2::numeric)::text AS diff',
        [await balanceOf(t, 5), before],
      );
      expect(Number(rows[0].diff)).toBe(Number(credited));
      expect(rows[0].diff.replace(/\.?0+$/, '')).toBe(credited);
    }
  });
});
