import request from 'supertest';
import { admin, writeCounts } from './api';

export { createCustomer, credit } from './api';
import { DEMO_TILL } from './credentials';
import { TestApp } from './test-app';

/** The parsed body of a v1.1 redeem response, typed loosely for assertions. */
export interface RedeemBody {
  response: {
    status: { success: string; code: number; message: string };
    responses?: { points: RedeemItemJson | RedeemItemJson[] };
  };
}

export interface RedeemItemJson {
  mobile: string;
  email: string;
  external_id: string;
  user_id: string;
  redemption_id?: string;
  points_redeemed: string;
  redemption_purpose: string;
  redeemed_value: number;
  redeemed_local_value: number;
  balance?: number;
  side_effects: { effect: Record<string, unknown>[] };
  item_status: { success: string; code: number; message: string };
}

/** `responses.points` of a single-item redeem response. */
export function itemOf(res: request.Response): RedeemItemJson {
  const points = (res.body as RedeemBody).response.responses?.points;
  if (points === undefined || Array.isArray(points)) {
    throw new Error(`expected one item in responses.points, got: ${res.text}`);
  }
  return points;
}

/** `responses.points` of a batch redeem response (an array). */
export function itemsOf(res: request.Response): RedeemItemJson[] {
  const points = (res.body as RedeemBody).response.responses?.points;
  if (!Array.isArray(points)) throw new Error(`expected an array of items, got: ${res.text}`);
  return points;
}

export function statusOf(res: request.Response): RedeemBody['response']['status'] {
  return (res.body as RedeemBody).response.status;
}

/** Asserts the wire shape of a failed item: no redemption, nothing redeemed. */
export function expectFailedItem(item: RedeemItemJson, code: number): void {
  expect(item.item_status).toEqual({ success: 'false', code, message: expect.any(String) });
  expect(item.item_status.message.length).toBeGreaterThan(0);
  expect(item.redeemed_value).toBe(0);
  expect(item.redeemed_local_value).toBe(0);
  expect(item.side_effects).toEqual({ effect: [] });
  expect(item).not.toHaveProperty('redemption_id');
  expect(item).not.toHaveProperty('balance');
}

/** Creates a program in org demo and returns its id. */
export async function createProgram(t: TestApp, body: Record<string, unknown>): Promise<number> {
  const res = await admin(t, 'post', '/admin/programs', body);
  if (res.status !== 201) throw new Error(`create program: ${res.status} ${res.text}`);
  return (res.body as { id: number }).id;
}

/** The id of org demo's default program. */
export async function defaultProgramId(t: TestApp): Promise<number> {
  const res = await admin(t, 'get', '/admin/programs');
  if (res.status !== 200) throw new Error(`list programs: ${res.status} ${res.text}`);
  const programs = res.body as { id: number; is_default: boolean }[];
  const found = programs.find((p) => p.is_default);
  if (!found) throw new Error('org demo has no default program');
  return found.id;
}

/** GET /v1.1/customer/get as demo.till. */
export function customerGet(t: TestApp, query: Record<string, string>) {
  return request(t.url).get('/v1.1/customer/get').query(query).set('Authorization', DEMO_TILL);
}

/** Balance of a group's wallet in a program, as numeric text from SQL ('0' when none). */
export async function groupBalanceOf(
  t: TestApp,
  groupId: number,
  programId: number,
): Promise<string> {
  const { rows } = await t.pg.query<{ balance: string }>(
    `SELECT COALESCE((SELECT balance FROM wallet WHERE group_id = $1 AND program_id = $2), 0)::text AS balance`,
    [groupId, programId],
  );
  return rows[0].balance;
}

/** Runs `action` and asserts it wrote nothing: same row counts and total balance. */
export async function expectNoWrites<T>(t: TestApp, action: () => Promise<T>): Promise<T> {
  const before = await writeCounts(t);
  const result = await action();
  expect(await writeCounts(t)).toEqual(before);
  return result;
}

/** A date `days` days after the app's clock, as ISO 8601. */
export function daysFromNow(t: TestApp, days: number): string {
  return new Date(t.clock.now().getTime() + days * 24 * 3600 * 1000).toISOString();
}

/**
 * Loads `count` customers (first name `mark`, mobiles from `mobileBase` + 1), each with a wallet
 * in program `programId` and one lot of 100 points, set-based as the benchmark seeds: tables of
 * its size in a moment. Each balance matches its lot; no ledger rows are written.
 */
export async function loadWallets(
  t: TestApp,
  programId: number,
  { count, mark, mobileBase }: { count: number; mark: string; mobileBase: number },
): Promise<void> {
  const {
    rows: [org],
  } = await t.pg.query<{ id: number }>(`SELECT id FROM org WHERE code = 'demo'`);
  await t.pg.query(
    `INSERT INTO customer (org_id, mobile, firstname)
     SELECT $1, ($2::bigint + g)::text, $3 FROM generate_series(1, $4::int) g`,
    [org.id, mobileBase, mark, count],
  );
  await t.pg.query(
    `INSERT INTO wallet (org_id, program_id, customer_id, balance, lifetime_points)
     SELECT org_id, $2, id, 100, 100 FROM customer WHERE org_id = $1 AND firstname = $3`,
    [org.id, programId, mark],
  );
  await t.pg.query(
    `INSERT INTO lot (org_id, wallet_id, amount, remaining, earned_at)
     SELECT org_id, id, 100, 100, now() FROM wallet WHERE org_id = $1 AND program_id = $2`,
    [org.id, programId],
  );
}
