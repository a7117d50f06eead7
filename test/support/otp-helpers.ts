import request from 'supertest';
import { admin } from './api';
import { DEMO_TILL } from './credentials';
import { TestApp } from './test-app';

/** One row of `GET /admin/notifications` (the outbox), newest first. */
export interface NotificationRow {
  id: string | number;
  customer_id?: number;
  channel: string;
  recipient: string;
  text: string;
  created_at: string;
  sent_at: string | null;
}

/** `response.points.redeemable` of an isredeemable answer. */
export interface RedeemableJson {
  mobile: string;
  email: string;
  external_id: string;
  user_id: string;
  points: string;
  is_redeemable: string;
  points_redeem_value: number;
  points_redeem_local_value: number;
  points_currency_ratio: number;
  item_status: { success: string; code: number; message: string };
}

/** GET /v1.1/points/validationcode as demo.till. */
export function issueCode(t: TestApp, query: Record<string, string>, auth = DEMO_TILL) {
  return request(t.url).get('/v1.1/points/validationcode').query(query).set('Authorization', auth);
}

/** `response.validation_code.code` of a validationcode answer. */
export function issuedOf(res: request.Response): {
  mobile: string;
  user_id: string;
  points: string;
  item_status: { success: string; code: number; message: string };
} {
  const code = (
    res.body as {
      response?: { validation_code?: { code?: ReturnType<typeof issuedOf> } };
    }
  ).response?.validation_code?.code;
  if (!code) throw new Error(`expected response.validation_code.code, got: ${res.text}`);
  return code;
}

/** GET /v1.1/points/isredeemable as demo.till. */
export function isRedeemable(t: TestApp, query: Record<string, string>, auth = DEMO_TILL) {
  return request(t.url).get('/v1.1/points/isredeemable').query(query).set('Authorization', auth);
}

/** `response.points.redeemable` of an isredeemable answer. */
export function redeemableOf(res: request.Response): RedeemableJson {
  const r = (res.body as { response?: { points?: { redeemable?: RedeemableJson } } }).response
    ?.points?.redeemable;
  if (!r) throw new Error(`expected response.points.redeemable, got: ${res.text}`);
  return r;
}

/** The outbox rows of one customer, newest first. */
export async function notificationsOf(t: TestApp, customerId: number): Promise<NotificationRow[]> {
  const res = await admin(t, 'get', `/admin/notifications?customer_id=${customerId}`);
  if (res.status !== 200) throw new Error(`notifications: ${res.status} ${res.text}`);
  return res.body as NotificationRow[];
}

const CODE_IN_TEXT = /validation code is ([A-Z0-9]+)\b/;

/** The code carried by an outbox message's text. */
export function codeFromText(text: string): string {
  const m = CODE_IN_TEXT.exec(text);
  if (!m) throw new Error(`no validation code in notification text: ${text}`);
  return m[1];
}

/** The code of the newest outbox message of a customer. */
export async function latestCode(t: TestApp, customerId: number): Promise<string> {
  const [newest] = await notificationsOf(t, customerId);
  if (!newest) throw new Error(`customer ${customerId} has no notification`);
  return codeFromText(newest.text);
}

/**
 * Issues a code to the customer (must succeed) and reads it back from the admin outbox. A
 * code is good for at most the points it is issued for: 1000 unless `query` says otherwise.
 */
export async function issueAndRead(
  t: TestApp,
  customer: { id: number; mobile: string },
  query: Record<string, string> = {},
): Promise<string> {
  const res = await issueCode(t, { mobile: customer.mobile, points: '1000', ...query });
  if (res.status !== 200 || issuedOf(res).item_status.code !== 200) {
    throw new Error(`issue code: ${res.status} ${res.text}`);
  }
  const code = await latestCode(t, customer.id);
  if (res.text.includes(code)) throw new Error(`the code is in the response: ${res.text}`);
  return code;
}

export type OrgConfigJson = Record<string, unknown>;

/** PATCH /admin/config (must succeed); returns the whole config it answers. */
export async function patchConfig(t: TestApp, patch: OrgConfigJson): Promise<OrgConfigJson> {
  const res = await admin(t, 'patch', '/admin/config', patch);
  if (res.status !== 200) throw new Error(`patch config: ${res.status} ${res.text}`);
  return res.body as OrgConfigJson;
}

/**
 * Runs `fn` with the org config patched, then puts back the previous values of the patched
 * fields, even when `fn` fails.
 */
export async function withConfig<T>(
  t: TestApp,
  patch: OrgConfigJson,
  fn: () => Promise<T>,
): Promise<T> {
  const current = await admin(t, 'get', '/admin/config');
  if (current.status !== 200) throw new Error(`get config: ${current.status} ${current.text}`);
  const before = current.body as OrgConfigJson;
  const restore = Object.fromEntries(Object.keys(patch).map((k) => [k, before[k]]));
  await patchConfig(t, patch);
  try {
    return await fn();
  } finally {
    await patchConfig(t, restore);
  }
}

/** Polls `check` every 50 ms until it returns a value, or throws after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
