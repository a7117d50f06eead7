import request from 'supertest';
import { redeem } from './api';

export { expectLedgerOk, orgIdOf } from './api';
export { expectV2Error } from './expect';
import { DEMO_TILL } from './credentials';
import { itemOf } from './redeem-helpers';
import { TestApp } from './test-app';

/** The body of a successful `POST /v2/points/reverse`. */
export interface ReverseBody {
  orgId: number;
  customerId: number;
  redemptionId: string;
  reversalId: string;
  pointsToBeReversed: number;
  pointsReversed: number;
  pointsReversedDetails: { available: number; expired: number };
  balance: number;
  warnings: unknown[];
}

/** The v2 error body. */
export interface V2ErrorBody {
  errors: { code: number; message: string }[];
}

/** POST /v2/points/reverse with `body` sent as JSON (a string is sent as is). */
export function reverse(
  t: TestApp,
  body: unknown,
  auth = DEMO_TILL,
  headers: Record<string, string> = {},
) {
  const req = request(t.url)
    .post('/v2/points/reverse')
    .set('Authorization', auth)
    .set('Content-Type', 'application/json');
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req.send(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Redeems `points` for a customer (by mobile) and returns the redemption id (code). */
export async function redeemFor(
  t: TestApp,
  mobile: string,
  points: number | string,
  query: Record<string, string>,
  auth = DEMO_TILL,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await redeem(
    t,
    { points_redeemed: points, customer: { mobile }, ...extra },
    query,
    auth,
  );
  const item = itemOf(res);
  if (item.item_status.code !== 800 || !item.redemption_id) {
    throw new Error(`redeem failed: ${res.status} ${res.text}`);
  }
  return item.redemption_id;
}

/** The id of the wallet of a customer in a program, as text (bigint). */
export async function walletIdOf(
  t: TestApp,
  customerId: number,
  programId: number,
): Promise<string> {
  const { rows } = await t.pg.query<{ id: string }>(
    'SELECT id::text FROM wallet WHERE customer_id = $1 AND program_id = $2',
    [customerId, programId],
  );
  if (rows.length !== 1) throw new Error(`no wallet for customer ${customerId}`);
  return rows[0].id;
}

/** `lot id → remaining` (numeric text) of a wallet. */
export async function lotRemaining(t: TestApp, walletId: string): Promise<Record<string, string>> {
  const { rows } = await t.pg.query<{ id: string; remaining: string }>(
    'SELECT id::text, remaining::text FROM lot WHERE wallet_id = $1 ORDER BY id',
    [walletId],
  );
  return Object.fromEntries(rows.map((r) => [r.id, r.remaining]));
}

/** The wallet's balance column as numeric text. */
export async function walletBalance(t: TestApp, walletId: string): Promise<string> {
  const { rows } = await t.pg.query<{ balance: string }>(
    'SELECT balance::text FROM wallet WHERE id = $1',
    [walletId],
  );
  return rows[0].balance;
}

/** Number of reversal rows of one redemption (by its code), or of all when omitted. */
export async function reversalCount(t: TestApp, code?: string): Promise<number> {
  const { rows } = await t.pg.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reversal v JOIN redemption r ON r.id = v.redemption_id
      WHERE $1::text IS NULL OR r.code = $1`,
    [code ?? null],
  );
  return rows[0].n;
}
