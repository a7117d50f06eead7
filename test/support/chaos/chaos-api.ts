import { Agent } from 'node:http';
import { DEMO_ADMIN, DEMO_TILL } from '../credentials';
import { TimedRequest } from '../http-load';
import { Outcome, send, withAgent } from './load-client';
import { Queryable } from './invariants';

export const REDEEM_PATH = '/v1.1/points/redeem';
export const REVERSE_PATH = '/v2/points/reverse';

export interface RedeemOptions {
  ern?: string;
  key?: string;
}

/** POST /v1.1/points/redeem?skip_validation=true for one item, as demo.till. */
export function redeemRequest(
  mobile: string,
  points: number | string,
  opts: RedeemOptions = {},
): TimedRequest {
  const item: Record<string, unknown> = { points_redeemed: points, customer: { mobile } };
  if (opts.ern !== undefined) item.external_reference_number = opts.ern;
  const headers: Record<string, string> = {
    Authorization: DEMO_TILL,
    'Content-Type': 'application/json',
  };
  if (opts.key !== undefined) headers['Idempotency-Key'] = opts.key;
  return {
    method: 'POST',
    path: REDEEM_PATH,
    query: { skip_validation: 'true' },
    headers,
    body: JSON.stringify({ root: { redeem: item } }),
  };
}

/** POST /v2/points/reverse as demo.till; `points` undefined reverses the rest. */
export function reverseRequest(redemptionId: string, points?: number): TimedRequest {
  const body: Record<string, unknown> = { redemptionId };
  if (points !== undefined) body.pointsToBeReversed = points;
  return {
    method: 'POST',
    path: REVERSE_PATH,
    headers: { Authorization: DEMO_TILL, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/** An admin JSON call as demo.admin. */
export function adminRequest(method: 'GET' | 'POST', path: string, body?: unknown): TimedRequest {
  const headers: Record<string, string> = { Authorization: DEMO_ADMIN };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return { method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) };
}

export interface RedeemItem {
  redemption_id?: string;
  points_redeemed: string;
  balance?: number;
  side_effects: { effect: { id?: number }[] };
  item_status: { success: string; code: number; message: string };
}

/** The single item of a one-item redeem response (throws with the body when it is not one). */
export function redeemItem(o: Outcome): RedeemItem {
  const body = JSON.parse(o.text) as { response?: { responses?: { points?: unknown } } };
  const points = body.response?.responses?.points;
  if (typeof points !== 'object' || points === null || Array.isArray(points)) {
    throw new Error(`not a one-item redeem response: ${o.status} ${o.text}`);
  }
  return points as RedeemItem;
}

/** The request-level status of a v1.1 error envelope, or undefined when it is not one. */
export function envelopeStatus(
  o: Outcome,
): { success: string; code: number; message: string } | undefined {
  try {
    const body = JSON.parse(o.text) as {
      response?: { status?: { success: string; code: number; message: string } };
    };
    return body.response?.status;
  } catch {
    return undefined;
  }
}

export interface Customer {
  id: number;
  mobile: string;
  walletId: string;
}

let seq = 0;

/** Creates a customer of org demo with one lot of `points` (no expiry), through the admin API. */
export async function createCustomer(
  baseUrl: string,
  points: number,
  agent?: Agent,
): Promise<Customer> {
  seq += 1;
  const mobile = `93${String(process.pid % 1e4).padStart(4, '0')}${String(Date.now() % 1e4).padStart(4, '0')}${String(seq).padStart(4, '0')}`;
  const made = await send(baseUrl, adminRequest('POST', '/admin/customers', { mobile }), {
    agent,
    timeoutMs: 20_000,
  });
  if (made.status !== 201) throw new Error(`create customer: ${made.status} ${made.text}`);
  const id = (JSON.parse(made.text) as { id: number }).id;
  const credited = await send(
    baseUrl,
    adminRequest('POST', '/admin/points/credit', { customer_id: id, points }),
    { agent, timeoutMs: 20_000 },
  );
  if (credited.status !== 201) throw new Error(`credit: ${credited.status} ${credited.text}`);
  const walletId = String(
    (JSON.parse(credited.text) as { lot: { wallet_id: string } }).lot.wallet_id,
  );
  return { id, mobile, walletId };
}

/** Creates `count` customers with `points` each, `parallel` at a time. */
export function createCustomers(
  baseUrl: string,
  count: number,
  points: number,
  parallel = 10,
): Promise<Customer[]> {
  return withAgent(parallel, async (agent) => {
    const out: Customer[] = [];
    for (let i = 0; i < count; i += parallel) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(parallel, count - i) }, () =>
          createCustomer(baseUrl, points, agent),
        ),
      );
      out.push(...batch);
    }
    return out;
  });
}

/** GET /admin/ledger/verify as demo.admin. */
export async function verifyLedger(
  baseUrl: string,
): Promise<{ status: number; body: { ok?: boolean; failures?: unknown[] } | string }> {
  const res = await send(baseUrl, adminRequest('GET', '/admin/ledger/verify'), {
    timeoutMs: 20_000,
  });
  let body: { ok?: boolean; failures?: unknown[] } | string = res.text || (res.error ?? '');
  try {
    body = JSON.parse(res.text) as { ok?: boolean; failures?: unknown[] };
  } catch {
    // keep the raw text for the failure message
  }
  return { status: res.status, body };
}

/** Balances of the given wallets, by wallet id, as numbers (the suites use whole points). */
export async function walletBalances(
  db: Queryable,
  walletIds: string[],
): Promise<Map<string, number>> {
  const { rows } = await db.query<{ id: string; balance: string }>(
    `SELECT id::text, balance::text FROM wallet WHERE id = ANY($1::bigint[])`,
    [walletIds],
  );
  return new Map(rows.map((r) => [r.id, Number(r.balance)]));
}
