import request from 'supertest';
import { DEMO_ADMIN, DEMO_TILL } from './credentials';
import { TestApp } from './test-app';

export interface RedeemItemBody {
  points_redeemed?: unknown;
  customer?: unknown;
  [field: string]: unknown;
}

/** POST /v1.1/points/redeem with `{"root":{"redeem": items}}` (one item → single object). */
export function redeem(
  t: TestApp,
  items: RedeemItemBody | RedeemItemBody[],
  query: Record<string, string> = { skip_validation: 'true' },
  auth = DEMO_TILL,
  headers: Record<string, string> = {},
) {
  const req = request(t.url)
    .post('/v1.1/points/redeem')
    .query(query)
    .set('Authorization', auth)
    .set('Content-Type', 'application/json');
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req.send(JSON.stringify({ root: { redeem: items } }));
}

/** An admin call as demo.admin (or another admin). */
export function admin(
  t: TestApp,
  method: 'get' | 'post' | 'patch',
  path: string,
  body?: unknown,
  auth = DEMO_ADMIN,
) {
  const req = request(t.url)[method](path).set('Authorization', auth);
  return body === undefined
    ? req
    : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
}

/** Creates a customer with the given identifiers (must succeed); returns its id. */
export async function createCustomer(
  t: TestApp,
  fields: Record<string, string>,
  auth = DEMO_ADMIN,
): Promise<{ id: number }> {
  const res = await admin(t, 'post', '/admin/customers', fields, auth);
  if (res.status !== 201) throw new Error(`create customer: ${res.status} ${res.text}`);
  return { id: (res.body as { id: number }).id };
}

/** Credits one lot (must succeed); returns the lot id (as text, it is a bigint) and the balance. */
export async function credit(
  t: TestApp,
  body: Record<string, unknown>,
  auth = DEMO_ADMIN,
): Promise<{ lotId: string; balance: number }> {
  const res = await admin(t, 'post', '/admin/points/credit', body, auth);
  if (res.status !== 201) throw new Error(`credit: ${res.status} ${res.text}`);
  const out = res.body as { lot: { id: string | number }; balance: number };
  return { lotId: String(out.lot.id), balance: out.balance };
}

/** Creates a till (or admin) with this password in an access group of demo (must succeed). */
export async function createTill(
  t: TestApp,
  username: string,
  password: string,
  accessGroup = 'Default',
): Promise<void> {
  const res = await admin(t, 'post', '/admin/tills', {
    username,
    password,
    access_group: accessGroup,
  });
  if (res.status !== 201) throw new Error(`create till: ${res.status} ${res.text}`);
}

let customerSeq = 0;

/** Creates a customer with a unique mobile and optional lots; returns id and mobile. */
export async function makeCustomer(
  t: TestApp,
  lots: { points: string | number; expires_at?: string; program_id?: number }[] = [],
  auth = DEMO_ADMIN,
): Promise<{ id: number; mobile: string }> {
  customerSeq += 1;
  const mobile = `91${String(Date.now() % 1e8).padStart(8, '0')}${String(customerSeq).padStart(3, '0')}`;
  const { id } = await createCustomer(t, { mobile }, auth);
  for (const lot of lots) await credit(t, { customer_id: id, ...lot }, auth);
  return { id, mobile };
}

/** Asserts GET /admin/ledger/verify reports no failures. */
export async function expectLedgerOk(t: TestApp): Promise<void> {
  const res = await admin(t, 'get', '/admin/ledger/verify');
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ ok: true, failures: [] });
}

/** The id of an org by its code. */
export async function orgIdOf(t: TestApp, code: string): Promise<number> {
  const { rows } = await t.pg.query<{ id: number }>('SELECT id FROM org WHERE code = $1', [code]);
  return rows[0].id;
}

/** Unexpired points of a customer's wallet in a program (default program when omitted). */
export async function balanceOf(
  t: TestApp,
  customerId: number,
  programId?: number,
): Promise<string> {
  const { rows } = await t.pg.query<{ balance: string }>(
    `SELECT COALESCE((SELECT w.balance FROM wallet w JOIN program p ON p.id = w.program_id
                       WHERE w.customer_id = $1 AND (($2::bigint IS NULL AND p.is_default) OR p.id = $2)), 0)::text AS balance`,
    [customerId, programId ?? null],
  );
  return rows[0].balance;
}

/** Row counts of the tables a failed request must not touch. */
export async function writeCounts(t: TestApp): Promise<Record<string, number>> {
  const { rows } = await t.pg.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM redemption)::int AS redemption,
            (SELECT count(*) FROM redemption_allocation)::int AS redemption_allocation,
            (SELECT count(*) FROM ledger_entry)::int AS ledger_entry,
            (SELECT count(*) FROM reversal)::int AS reversal,
            (SELECT coalesce(sum(balance), 0)::text FROM wallet) AS total_balance`,
  );
  return rows[0];
}
