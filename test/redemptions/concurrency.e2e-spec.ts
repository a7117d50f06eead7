import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { PoolClient } from 'pg';
import { parseWireJson, stringifyWireJson } from '../../src/capillary/wire-json';
import { requestFingerprint } from '../../src/capillary/wire-response';
import {
  balanceOf,
  createCustomer,
  credit,
  expectLedgerOk,
  makeCustomer,
  orgIdOf,
  writeCounts,
} from '../support/api';
import { DEMO_TILL, OTHER_ADMIN, OTHER_TILL } from '../support/credentials';
import {
  fireAll,
  loadAgent,
  maxInFlight,
  TimedRequest,
  TimedResponse,
  timedRequest,
} from '../support/http-load';
import { startTestApp, TestApp } from '../support/test-app';

const REDEEM_PATH = '/v1.1/points/redeem';
const SKIP = { skip_validation: 'true' };

interface RedeemOptions {
  ern?: string;
  key?: string;
  query?: Record<string, string>;
}

/** The exact body text a till sends for one redeem item. */
function redeemBody(mobile: string, points: number | string, ern?: string): string {
  const item: Record<string, unknown> = { points_redeemed: points, customer: { mobile } };
  if (ern !== undefined) item.external_reference_number = ern;
  return JSON.stringify({ root: { redeem: item } });
}

function redeemRequest(body: string, opts: RedeemOptions = {}): TimedRequest {
  const headers: Record<string, string> = {
    Authorization: DEMO_TILL,
    'Content-Type': 'application/json',
  };
  if (opts.key !== undefined) headers['Idempotency-Key'] = opts.key;
  return { method: 'POST', path: REDEEM_PATH, query: opts.query ?? SKIP, headers, body };
}

interface ItemJson {
  redemption_id?: string;
  balance?: unknown;
  item_status: { success: string; code: number; message: string };
  [field: string]: unknown;
}

/** The single item of a one-item redeem response. */
function itemOf(res: TimedResponse): ItemJson {
  const body = JSON.parse(res.text) as { response: { responses: { points: ItemJson } } };
  return body.response.responses.points;
}

function countBy<T>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** How many items got each item status code, as { code: count }. */
function codeCounts(items: ItemJson[]): Record<number, number> {
  return Object.fromEntries(countBy(items.map((i) => i.item_status.code)));
}

async function walletIdOf(t: TestApp, customerId: number): Promise<string> {
  const { rows } = await t.pg.query<{ id: string }>(
    `SELECT w.id FROM wallet w JOIN program p ON p.id = w.program_id
      WHERE w.customer_id = $1 AND p.is_default`,
    [customerId],
  );
  if (rows.length !== 1) throw new Error(`customer ${customerId}: ${rows.length} wallets`);
  return rows[0].id;
}

async function redemptionCount(t: TestApp, customerId: number): Promise<number> {
  const { rows } = await t.pg.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM redemption WHERE customer_id = $1`,
    [customerId],
  );
  return rows[0].n;
}

const demoOrgId = (t: TestApp): Promise<number> => orgIdOf(t, 'demo');

/** Resolves once some session of the test database waits for a lock (a request got stuck behind a holder). */
async function untilSomeoneWaitsForALock(t: TestApp, what: string): Promise<void> {
  for (let waited = 0; ; waited += 20) {
    const { rows } = await t.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0].n > 0) return;
    if (waited > 3000) throw new Error(`${what} never waited for a lock`);
    await sleep(20);
  }
}

function expectEnvelopeError(res: TimedResponse, code: number): void {
  expect(res.status).toBe(code);
  const body = JSON.parse(res.text) as { response: { status: unknown } };
  expect(body.response.status).toEqual({
    success: 'false',
    code,
    message: expect.any(String),
  });
  expect(body.response).not.toHaveProperty('responses');
}

describe('redeem under concurrency: no double spend, exactly once', () => {
  let t: TestApp;
  let agent: Agent;

  beforeAll(async () => {
    t = await startTestApp('redeem_concurrency');
    agent = loadAgent(100);
    // One authenticated call first, so that the bursts below race on the wallet, not on
    // the first (slow) password hash of the till.
    const warm = await timedRequest(
      t.url,
      {
        method: 'GET',
        path: '/v1.1/customer/get',
        query: { mobile: '919900000001' },
        headers: { Authorization: DEMO_TILL },
      },
      agent,
    );
    expect(warm.status).toBe(200);
  });

  afterAll(async () => {
    agent?.destroy();
    await t?.close();
  });

  it('100 parallel redemptions of 1 point on a 50-point wallet: exactly 50 succeed', async () => {
    const customer = await makeCustomer(t, [{ points: 50 }]);
    const body = redeemBody(customer.mobile, 1);
    const results = await fireAll(
      t.url,
      Array.from({ length: 100 }, () => redeemRequest(body)),
      agent,
    );

    // The requests really ran at the same time.
    expect(maxInFlight(results)).toBeGreaterThanOrEqual(10);

    expect(results.map((r) => r.status)).toEqual(Array<number>(100).fill(200));
    const items = results.map(itemOf);
    const codes = countBy(items.map((i) => i.item_status.code));
    expect(Object.fromEntries(codes)).toEqual({ 800: 50, 803: 50 });

    // Each success saw a different locked balance: 49, 48, …, 0, each exactly once.
    const ok = items.filter((i) => i.item_status.code === 800);
    expect(new Set(ok.map((i) => i.redemption_id)).size).toBe(50);
    expect(ok.map((i) => Number(i.balance)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, n) => n),
    );
    for (const failed of items.filter((i) => i.item_status.code === 803)) {
      expect(failed).not.toHaveProperty('redemption_id');
      expect(failed).not.toHaveProperty('balance');
      expect(failed.redeemed_value).toBe(0);
    }

    expect(await balanceOf(t, customer.id)).toBe('0.000');
    const walletId = await walletIdOf(t, customer.id);
    const { rows } = await t.pg.query<{ redemptions: number; ledger: string; balance: string }>(
      `SELECT (SELECT count(*)::int FROM ledger_entry
                WHERE kind = 'REDEMPTION' AND wallet_id = $1) AS redemptions,
              (SELECT sum(amount)::text FROM ledger_entry WHERE wallet_id = $1) AS ledger,
              (SELECT balance::text FROM wallet WHERE id = $1) AS balance`,
      [walletId],
    );
    expect(rows[0].redemptions).toBe(50);
    expect(rows[0].ledger).toBe(rows[0].balance);
    expect(rows[0].balance).toBe('0.000');
    expect(await redemptionCount(t, customer.id)).toBe(50);
    await expectLedgerOk(t);
  });

  it('the row lock decides between requests that take turns separately (one wallet, two identifiers)', async () => {
    // Requests for one wallet queue in the service by identifier; by mobile and by id they
    // are two queues, so these race in PostgreSQL itself.
    const customer = await makeCustomer(t, [{ points: 30 }]);
    const byMobile = redeemBody(customer.mobile, 1);
    const byId = JSON.stringify({
      root: { redeem: { points_redeemed: 1, customer: { id: String(customer.id) } } },
    });
    const results = await fireAll(
      t.url,
      Array.from({ length: 60 }, (_, i) => redeemRequest(i % 2 ? byId : byMobile)),
      agent,
    );
    expect(maxInFlight(results)).toBeGreaterThanOrEqual(10);
    const items = results.map(itemOf);
    expect(codeCounts(items)).toEqual({
      800: 30,
      803: 30,
    });
    const ok = items.filter((i) => i.item_status.code === 800);
    expect(ok.map((i) => Number(i.balance)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, n) => n),
    );
    expect(await balanceOf(t, customer.id)).toBe('0.000');
    expect(await redemptionCount(t, customer.id)).toBe(30);
  });

  it('20 parallel sends with one Idempotency-Key: one redemption, 20 identical bodies', async () => {
    const customer = await makeCustomer(t, [{ points: 100 }]);
    const key = `burst-${customer.id}`;
    const request = redeemRequest(redeemBody(customer.mobile, 7), { key });
    const results = await fireAll(
      t.url,
      Array.from({ length: 20 }, () => request),
      agent,
    );

    expect(maxInFlight(results)).toBeGreaterThan(1);
    expect(results.map((r) => r.status)).toEqual(Array<number>(20).fill(200));
    const first = results[0].text;
    for (const r of results) expect(r.text).toBe(first);
    expect(itemOf(results[0]).item_status.code).toBe(800);
    expect(itemOf(results[0]).balance).toBe(93);

    const replayed = results.map((r) => r.headers['idempotent-replayed']);
    expect(replayed.filter((h) => h === 'true')).toHaveLength(19);
    expect(replayed.filter((h) => h === undefined)).toHaveLength(1);

    expect(await redemptionCount(t, customer.id)).toBe(1);
    expect(await balanceOf(t, customer.id)).toBe('93.000');
    const { rows } = await t.pg.query<{ response_status: number; response_body: string }>(
      `SELECT response_status, response_body FROM idempotency_key WHERE key = $1`,
      [key],
    );
    expect(rows).toEqual([{ response_status: 200, response_body: first }]);
  });

  it('the same Idempotency-Key with a different request is 422 and writes nothing', async () => {
    const customer = await makeCustomer(t, [{ points: 100 }]);
    const key = `mismatch-${customer.id}`;
    const original = await timedRequest(
      t.url,
      redeemRequest(redeemBody(customer.mobile, 10), { key }),
      agent,
    );
    expect(original.status).toBe(200);
    expect(itemOf(original).item_status.code).toBe(800);

    const before = await writeCounts(t);
    const { rows: keysBefore } = await t.pg.query(`SELECT * FROM idempotency_key ORDER BY key`);

    const otherBody = await timedRequest(
      t.url,
      redeemRequest(redeemBody(customer.mobile, 11), { key }),
      agent,
    );
    expectEnvelopeError(otherBody, 422);
    expect(otherBody.headers['idempotent-replayed']).toBeUndefined();

    const otherQuery = await timedRequest(
      t.url,
      redeemRequest(redeemBody(customer.mobile, 10), {
        key,
        query: { ...SKIP, program_id: '1' },
      }),
      agent,
    );
    expectEnvelopeError(otherQuery, 422);

    expect(await writeCounts(t)).toEqual(before);
    const { rows: keysAfter } = await t.pg.query(`SELECT * FROM idempotency_key ORDER BY key`);
    expect(keysAfter).toEqual(keysBefore);
    expect(await balanceOf(t, customer.id)).toBe('90.000');

    // The original is still replayable after the refused attempts.
    const again = await timedRequest(
      t.url,
      redeemRequest(redeemBody(customer.mobile, 10), { key }),
      agent,
    );
    expect(again.status).toBe(200);
    expect(again.text).toBe(original.text);
  });

  it('20 parallel sends of one external_reference_number without a key: one 800, nineteen 744', async () => {
    const customer = await makeCustomer(t, [{ points: 100 }]);
    const ern = `pos-ern-${customer.id}`;
    const body = redeemBody(customer.mobile, 5, ern);
    const results = await fireAll(
      t.url,
      Array.from({ length: 20 }, () => redeemRequest(body)),
      agent,
    );

    expect(maxInFlight(results)).toBeGreaterThan(1);
    expect(results.map((r) => r.status)).toEqual(Array<number>(20).fill(200));
    const items = results.map(itemOf);
    expect(codeCounts(items)).toEqual({
      800: 1,
      744: 19,
    });
    const winner = items.find((i) => i.item_status.code === 800);
    expect(winner?.balance).toBe(95);
    for (const dup of items.filter((i) => i.item_status.code === 744)) {
      expect(dup).not.toHaveProperty('redemption_id');
      expect(dup.redeemed_value).toBe(0);
    }

    const { rows } = await t.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM redemption WHERE external_reference_number = $1`,
      [ern],
    );
    expect(rows[0].n).toBe(1);
    expect(await redemptionCount(t, customer.id)).toBe(1);
    expect(await balanceOf(t, customer.id)).toBe('95.000');
  });

  it('one external_reference_number raced from 10 different wallets: one 800, the others write nothing', async () => {
    // Each wallet has its own lock, so nothing serialises these but the unique index that
    // the redemption's single write statement runs into.
    const customers = [];
    for (let i = 0; i < 10; i++) customers.push(await makeCustomer(t, [{ points: 20 }]));
    const ern = `pos-ern-shared-${customers[0].id}`;
    const results = await fireAll(
      t.url,
      customers.map((c) => redeemRequest(redeemBody(c.mobile, 5, ern))),
      agent,
    );

    expect(maxInFlight(results)).toBeGreaterThan(1);
    const items = results.map(itemOf);
    expect(codeCounts(items)).toEqual({
      800: 1,
      744: 9,
    });
    for (const [i, c] of customers.entries()) {
      const won = items[i].item_status.code === 800;
      expect(await balanceOf(t, c.id)).toBe(won ? '15.000' : '20.000');
      expect(await redemptionCount(t, c.id)).toBe(won ? 1 : 0);
      const { rows } = await t.pg.query<{ ledger: number; lots: string }>(
        `SELECT (SELECT count(*)::int FROM ledger_entry le JOIN wallet w ON w.id = le.wallet_id
                  WHERE w.customer_id = $1 AND le.kind = 'REDEMPTION') AS ledger,
                (SELECT sum(remaining)::text FROM lot l JOIN wallet w ON w.id = l.wallet_id
                  WHERE w.customer_id = $1) AS lots`,
        [c.id],
      );
      expect(rows[0]).toEqual({ ledger: won ? 1 : 0, lots: won ? '15.000' : '20.000' });
    }
  });

  it('a reference held by an uncommitted redemption elsewhere: the write waits, then 744 and nothing written', async () => {
    const holderCustomer = await makeCustomer(t, [{ points: 20 }]);
    const customer = await makeCustomer(t, [{ points: 20 }]);
    const ern = `pos-ern-held-${customer.id}`;
    const holder = await t.pg.connect();
    try {
      await holder.query('BEGIN');
      // Past the read of the reference, before the commit: the case only the index decides.
      await holder.query(
        `INSERT INTO redemption (org_id, code, wallet_id, program_id, customer_id, points,
           redeemed_value, external_reference_number, redemption_time, till_id, request_id)
         SELECT w.org_id, 'HELD01', w.id, w.program_id, w.customer_id, 1, 1, $2, now(),
                (SELECT id FROM app_user WHERE org_id = w.org_id ORDER BY id LIMIT 1), 'held'
           FROM wallet w WHERE w.customer_id = $1`,
        [holderCustomer.id, ern],
      );
      const pending = timedRequest(
        t.url,
        redeemRequest(redeemBody(customer.mobile, 5, ern)),
        agent,
      );
      await untilSomeoneWaitsForALock(t, 'the redemption behind the held reference');
      await holder.query('COMMIT');
      const res = await pending;
      expect(res.status).toBe(200);
      expect(itemOf(res).item_status.code).toBe(744);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
    expect(await balanceOf(t, customer.id)).toBe('20.000');
    expect(await redemptionCount(t, customer.id)).toBe(0);
    const { rows } = await t.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entry le JOIN wallet w ON w.id = le.wallet_id
        WHERE w.customer_id = $1 AND le.kind = 'REDEMPTION'`,
      [customer.id],
    );
    expect(rows[0].n).toBe(0);
    // The held row was a bare stand-in (no lots spent) written behind the service's back: it
    // goes, so the ledger still verifies. Redemptions are never deleted (a trigger refuses),
    // so the test steps around the trigger for its own row.
    const cleanup = await t.pg.connect();
    try {
      await cleanup.query('BEGIN');
      await cleanup.query('SET LOCAL session_replication_role = replica');
      await cleanup.query(
        `DELETE FROM redemption WHERE request_id = 'held' AND external_reference_number = $1`,
        [ern],
      );
      await cleanup.query('COMMIT');
    } finally {
      cleanup.release();
    }
  });

  it('a sequential retry of a finished request replays its body byte for byte', async () => {
    const customer = await makeCustomer(t, [{ points: 40 }]);
    const key = `retry-${customer.id}`;
    const request = redeemRequest(redeemBody(customer.mobile, '13'), { key });

    const first = await timedRequest(t.url, request, agent);
    expect(first.status).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(itemOf(first).item_status.code).toBe(800);
    expect(await balanceOf(t, customer.id)).toBe('27.000');

    const retry = await timedRequest(t.url, request, agent);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.text).toBe(first.text);

    expect(await balanceOf(t, customer.id)).toBe('27.000');
    expect(await redemptionCount(t, customer.id)).toBe(1);
  });

  it('an Idempotency-Key is scoped to the org: the same key in another org runs afresh', async () => {
    const demo = await makeCustomer(t, [{ points: 10 }]);
    const other = await makeCustomer(t, [{ points: 10 }], OTHER_ADMIN);
    const key = `shared-key-${demo.id}-${other.id}`;

    const inDemo = await timedRequest(
      t.url,
      redeemRequest(redeemBody(demo.mobile, 1), { key }),
      agent,
    );
    expect(inDemo.status).toBe(200);
    expect(itemOf(inDemo).item_status.code).toBe(800);

    const otherRequest = redeemRequest(redeemBody(other.mobile, 2), { key });
    otherRequest.headers = { ...otherRequest.headers, Authorization: OTHER_TILL };
    const inOther = await timedRequest(t.url, otherRequest, agent);
    expect(inOther.status).toBe(200);
    expect(inOther.headers['idempotent-replayed']).toBeUndefined();
    expect(itemOf(inOther).item_status.code).toBe(800);
    expect(itemOf(inOther).user_id).toBe(String(other.id));

    expect(await balanceOf(t, demo.id)).toBe('9.000');
    expect(await balanceOf(t, other.id)).toBe('8.000');
    const { rows } = await t.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM idempotency_key WHERE key = $1`,
      [key],
    );
    expect(rows[0].n).toBe(2);
  });

  it('a key whose first owner died mid-way is taken over by the next retry, once', async () => {
    const customer = await makeCustomer(t, [{ points: 20 }]);
    const key = `dead-owner-${customer.id}`;
    const body = redeemBody(customer.mobile, 3);
    const hash = requestFingerprint('redeem', REDEEM_PATH, SKIP, parseWireJson(body));
    await t.pg.query(
      `INSERT INTO idempotency_key (org_id, key, request_hash, owner_token, lease_until, item_results)
       VALUES ($1, $2, $3, 'dead', now() - interval '1 minute', '{}')`,
      [await demoOrgId(t), key, hash],
    );

    const takeover = await timedRequest(t.url, redeemRequest(body, { key }), agent);
    expect(takeover.status).toBe(200);
    expect(takeover.headers['idempotent-replayed']).toBeUndefined();
    expect(itemOf(takeover).item_status.code).toBe(800);
    expect(await balanceOf(t, customer.id)).toBe('17.000');
    expect(await redemptionCount(t, customer.id)).toBe(1);

    const { rows } = await t.pg.query<{ owner_token: string; response_body: string }>(
      `SELECT owner_token, response_body FROM idempotency_key WHERE key = $1`,
      [key],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].owner_token).not.toBe('dead');
    expect(rows[0].response_body).toBe(takeover.text);

    const again = await timedRequest(t.url, redeemRequest(body, { key }), agent);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(takeover.text);
    expect(await redemptionCount(t, customer.id)).toBe(1);
  });

  it('a takeover does not redo the items the dead owner had finished', async () => {
    const customer = await makeCustomer(t, [{ points: 30 }]);
    const key = `dead-owner-batch-${customer.id}`;
    const items = [
      {
        points_redeemed: 2,
        customer: { mobile: customer.mobile },
        external_reference_number: `${key}-0`,
      },
      {
        points_redeemed: 3,
        customer: { mobile: customer.mobile },
        external_reference_number: `${key}-1`,
      },
    ];
    const body = JSON.stringify({ root: { redeem: items } });

    // The dead owner had redeemed item 0 and recorded it before it died.
    const done = await timedRequest(
      t.url,
      redeemRequest(JSON.stringify({ root: { redeem: items[0] } })),
      agent,
    );
    expect(itemOf(done).item_status.code).toBe(800);
    const doneItem = (parseWireJson(done.text) as { response: { responses: { points: unknown } } })
      .response.responses.points;
    const stored = { 0: { ok: true, json: stringifyWireJson(doneItem) } };
    const hash = requestFingerprint('redeem', REDEEM_PATH, SKIP, parseWireJson(body));
    await t.pg.query(
      `INSERT INTO idempotency_key (org_id, key, request_hash, owner_token, lease_until, item_results)
       VALUES ($1, $2, $3, 'dead', now() - interval '1 minute', $4::jsonb)`,
      [await demoOrgId(t), key, hash, JSON.stringify(stored)],
    );

    const takeover = await timedRequest(t.url, redeemRequest(body, { key }), agent);
    expect(takeover.status).toBe(200);
    const parsed = JSON.parse(takeover.text) as {
      response: { status: { code: number }; responses: { points: ItemJson[] } };
    };
    expect(parsed.response.status.code).toBe(200);
    const [first, second] = parsed.response.responses.points;
    expect(first).toEqual(JSON.parse(stored[0].json));
    expect(second.item_status.code).toBe(800);
    expect(second.balance).toBe(25);

    expect(await redemptionCount(t, customer.id)).toBe(2);
    expect(await balanceOf(t, customer.id)).toBe('25.000');
  });

  it('a takeover reports the finished items with their exact decimals', async () => {
    // Balances beyond a double's precision: 99999999999997.999 is not a float64.
    const customer = await makeCustomer(t, [{ points: '99999999999999.999' }]);
    const key = `dead-owner-exact-${customer.id}`;
    const items = [2, 3].map((points, i) => ({
      points_redeemed: points,
      customer: { mobile: customer.mobile },
      external_reference_number: `${key}-${i}`,
    }));
    const body = JSON.stringify({ root: { redeem: items } });

    const done = await timedRequest(
      t.url,
      redeemRequest(JSON.stringify({ root: { redeem: items[0] } })),
      agent,
    );
    expect(itemOf(done).item_status.code).toBe(800);
    expect(done.text).toContain('"balance":99999999999997.999');
    const doneItem = (parseWireJson(done.text) as { response: { responses: { points: unknown } } })
      .response.responses.points;
    const storedJson = stringifyWireJson(doneItem);
    const hash = requestFingerprint('redeem', REDEEM_PATH, SKIP, parseWireJson(body));
    await t.pg.query(
      `INSERT INTO idempotency_key (org_id, key, request_hash, owner_token, lease_until, item_results)
       VALUES ($1, $2, $3, 'dead', now() - interval '1 minute', $4::jsonb)`,
      [await demoOrgId(t), key, hash, JSON.stringify({ 0: { ok: true, json: storedJson } })],
    );

    const takeover = await timedRequest(t.url, redeemRequest(body, { key }), agent);
    expect(takeover.status).toBe(200);
    expect(await redemptionCount(t, customer.id)).toBe(2);
    expect(await balanceOf(t, customer.id)).toBe('99999999999994.999');
    expect(takeover.text).toContain('"balance":99999999999994.999');
    // Item 0 is reported exactly as its first owner stored it, not through a float.
    expect(takeover.text).toContain(storedJson);
  });

  it('STATEMENT_TIMEOUT_MS bounds a lock wait lock_timeout does not: 521, nothing written', async () => {
    // lock_timeout is far off here, as it is where it does not reach (a distributed
    // database's workers): only the statement timeout can end the wait.
    const t2 = await startTestApp('statement_timeout', {
      LOCK_TIMEOUT_MS: '600000',
      STATEMENT_TIMEOUT_MS: '1500',
    });
    let holder: PoolClient | undefined;
    try {
      const customer = await makeCustomer(t2, [{ points: 50 }]);
      holder = await t2.pg.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM wallet WHERE customer_id = $1 FOR UPDATE', [customer.id]);

      const res = await timedRequest(t2.url, redeemRequest(redeemBody(customer.mobile, 4)));

      expect(res.status).toBe(200);
      expect(itemOf(res).item_status.code).toBe(521);
      expect(await redemptionCount(t2, customer.id)).toBe(0);
      await holder.query('ROLLBACK');
      // The wallet is free again: the same redemption goes through.
      const retry = await timedRequest(t2.url, redeemRequest(redeemBody(customer.mobile, 4)));
      expect(itemOf(retry).item_status.code).toBe(800);
      expect(await balanceOf(t2, customer.id)).toBe('46.000');
    } finally {
      if (holder) {
        await holder.query('ROLLBACK').catch(() => undefined);
        holder.release();
      }
      await t2.close();
    }
  });

  it('409 while the first request with the key is still running; then it replays', async () => {
    const t2 = await startTestApp('idem409', {
      IDEMPOTENCY_WAIT_MS: '100',
      LOCK_TIMEOUT_MS: '3000',
    });
    let holder: PoolClient | undefined;
    try {
      const customer = await makeCustomer(t2, [{ points: 50 }]);
      const key = `in-flight-${customer.id}`;
      const request = redeemRequest(redeemBody(customer.mobile, 4), { key });

      holder = await t2.pg.connect();
      await holder.query('BEGIN');
      const locked = await holder.query(`SELECT id FROM wallet WHERE customer_id = $1 FOR UPDATE`, [
        customer.id,
      ]);
      expect(locked.rowCount).toBe(1);

      const pendingA = timedRequest(t2.url, request);
      // A is really waiting for the wallet lock before B is sent.
      await untilSomeoneWaitsForALock(t2, 'request A');
      await sleep(300);

      const b = await timedRequest(t2.url, request);
      expectEnvelopeError(b, 409);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
      expect(await redemptionCount(t2, customer.id)).toBe(0);

      await holder.query('ROLLBACK');
      holder.release();
      holder = undefined;

      const a = await pendingA;
      expect(a.status).toBe(200);
      expect(itemOf(a).item_status.code).toBe(800);
      expect(a.sentAt).toBeLessThan(b.sentAt);
      expect(b.receivedAt).toBeLessThan(a.receivedAt);

      const resend = await timedRequest(t2.url, request);
      expect(resend.status).toBe(200);
      expect(resend.headers['idempotent-replayed']).toBe('true');
      expect(resend.text).toBe(a.text);

      expect(await redemptionCount(t2, customer.id)).toBe(1);
      expect(await balanceOf(t2, customer.id)).toBe('46.000');
      await expectLedgerOk(t2);
    } finally {
      if (holder) {
        await holder.query('ROLLBACK').catch(() => undefined);
        holder.release();
      }
      await t2.close();
    }
  });

  it('values with quotes, backslashes and SQL in them travel exactly through the pipelined round trips', async () => {
    const externalId = `O'Brien \\ "x" ✓ ${Date.now()}`;
    const { id } = await createCustomer(t, { external_id: externalId });
    await credit(t, { customer_id: id, points: 10 });
    const ern = `ref'); DELETE FROM wallet; -- \\ ${id}`;
    const send = (identifier: Record<string, string>) =>
      timedRequest(
        t.url,
        redeemRequest(
          JSON.stringify({
            root: {
              redeem: {
                points_redeemed: 1,
                customer: identifier,
                external_reference_number: ern,
                transaction_number: "bill 'quoted' \\",
              },
            },
          }),
        ),
        agent,
      );

    expect(itemOf(await send({ external_id: externalId })).item_status.code).toBe(800);
    // The same reference again is seen as taken: it was stored exactly as sent.
    expect(itemOf(await send({ external_id: externalId })).item_status.code).toBe(744);
    // An identifier written like SQL is only ever a value: it matches nobody.
    expect(itemOf(await send({ external_id: "x' OR '1'='1" })).item_status.code).toBe(816);

    const { rows } = await t.pg.query<{ ern: string; bill: string; external_id: string }>(
      `SELECT r.external_reference_number AS ern, r.transaction_number AS bill, c.external_id
         FROM redemption r JOIN customer c ON c.id = r.customer_id WHERE r.customer_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ ern, bill: "bill 'quoted' \\", external_id: externalId }]);
    expect(await balanceOf(t, id)).toBe('9.000');
  });

  it('the ledger verifies after all of the above', async () => {
    await expectLedgerOk(t);
  });
});
