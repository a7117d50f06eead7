import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Pool, PoolClient } from 'pg';
import { AppProcess, spawnApp, stopAllApps, waitForHealth } from '../support/chaos/app-process';
import {
  adminRequest,
  createCustomer,
  createCustomers,
  Customer,
  envelopeStatus,
  redeemItem,
  redeemRequest,
  reverseRequest,
  verifyLedger,
  walletBalances,
} from '../support/chaos/chaos-api';
import { ledgerProblems, Queryable, redemptionsByCode } from '../support/chaos/invariants';
import {
  Outcome,
  prng,
  runClients,
  send,
  sendAll,
  tally,
  waitUntil,
  withAgent,
  within,
} from '../support/chaos/load-client';
import { OwnPostgres, startOwnPostgres } from '../support/chaos/own-postgres';
import { createTestDatabase, startTestApp, TestApp, TestDatabase } from '../support/test-app';
import { Webhook } from 'standardwebhooks';
import { WebhookReceiver } from '../support/webhook-receiver';

// Jest's default is 5 s (the e2e project's testTimeout is not applied per project).
const SETUP_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 60_000;
const CLIENT_TIMEOUT_MS = 15_000;

/** The services of these runs also report every redemption to a webhook receiver on loopback. */
const WEBHOOKS = {
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_POLL_MS: '100',
  WEBHOOK_TIMEOUT_MS: '2000',
};

/** Subscribes `receiver`'s `path` to redemption.created; returns the endpoint's secret. */
async function subscribeReceiver(
  appUrl: string,
  receiver: WebhookReceiver,
  path: string,
): Promise<string> {
  const hook = await send(
    appUrl,
    adminRequest('POST', '/admin/webhooks', {
      url: `${receiver.url}${path}`,
      events: ['redemption.created'],
    }),
  );
  expect(hook.status).toBe(201);
  return (JSON.parse(hook.text) as { secret: string }).secret;
}

/**
 * Every redemption in the books has exactly one redemption.created event, none is without
 * its redemption, and each event reached `path` at least once, signed (standardwebhooks).
 */
async function expectEveryRedemptionReported(
  db: Queryable,
  receiver: WebhookReceiver,
  path: string,
  secret: string,
): Promise<void> {
  const { rows: books } = await db.query<{ code: string }>(
    `SELECT code FROM redemption ORDER BY code`,
  );
  const { rows: events } = await db.query<{ code: string; message_id: string }>(
    `SELECT data->>'redemption_id' AS code, message_id FROM event
      WHERE type = 'redemption.created' ORDER BY 1`,
  );
  expect(events.map((e) => e.code)).toEqual(books.map((b) => b.code));
  const wanted = new Set(events.map((e) => e.message_id));
  const arrived = () => new Set(receiver.at(path).map((r) => r.headers['webhook-id']));
  await waitUntil(() => arrived().size === wanted.size, 40_000, 'every event delivered');
  const hook = new Webhook(secret);
  const delivered = new Map<string, string>();
  for (const r of receiver.at(path)) {
    const body = hook.verify(r.body, r.headers) as { data: { redemption_id: string } };
    delivered.set(r.headers['webhook-id'], body.data.redemption_id);
  }
  for (const e of events) expect(delivered.get(e.message_id)).toBe(e.code);
  expect([...delivered.keys()].filter((id) => !wanted.has(id))).toEqual([]);
}

interface Sent {
  ern: string;
  customer: Customer;
  points: number;
  outcome: Outcome;
}

/** What a redeem exchange amounted to, e.g. `200/item 800`, `503/envelope 503`, for messages. */
function summary(o: Outcome): string {
  if (o.status === 0) return `network error ${o.error}`;
  if (o.status === 200) return `200/item ${redeemItem(o).item_status.code}`;
  const st = envelopeStatus(o);
  return `${o.status}/${st ? `envelope ${st.code}` : o.text.slice(0, 200)}`;
}

const isItem = (o: Outcome, code: number) =>
  o.status === 200 && redeemItem(o).item_status.code === code;

/** Every redemption (ERN → code) of the given wallets. */
async function redemptionsByErn(db: Queryable, walletIds: string[]): Promise<Map<string, string>> {
  const byCode = await redemptionsByCode(db, walletIds);
  return new Map([...byCode.entries()].map(([code, r]) => [r.ern ?? `(none) ${code}`, code]));
}

describe('PostgreSQL restarts under load (the service keeps running)', () => {
  let own: OwnPostgres | undefined;
  let app: AppProcess;
  let customers: Customer[];

  // What the load run saw; the tests after the first one examine it.
  const sent: Sent[] = [];
  let loadDone = false;
  let stoppedAt = 0;
  let healthyAt = 0;
  let outageProbe: Outcome | undefined;
  let healthDuringOutage: Outcome | undefined;

  function loadRun(): Sent[] {
    if (!loadDone) throw new Error('the load run through the restart did not complete');
    return sent;
  }

  const receiver = new WebhookReceiver();
  let webhookSecret = '';

  beforeAll(async () => {
    own = await startOwnPostgres();
    await receiver.start();
    app = await spawnApp(own.url, { LOCK_TIMEOUT_MS: '2000', ...WEBHOOKS });
    customers = await createCustomers(app.url, 30, 100_000, 10);
    webhookSecret = await subscribeReceiver(app.url, receiver, '/ok/restart');
    const warm = await send(app.url, redeemRequest(customers[0].mobile, 1));
    expect(isItem(warm, 800)).toBe(true);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await stopAllApps();
    await receiver.stop();
    await own?.close();
  }, SETUP_TIMEOUT_MS);

  it(
    'keeps serving through a restart: the same process answers 800 before and after, and 503 in between',
    async () => {
      let redeemed = 0;
      let stop = false;
      const deadline = Date.now() + 45_000;
      const load = withAgent(20, (agent) =>
        runClients(20, async (client) => {
          const random = prng(7000 + client);
          for (let n = 0; !stop && n < 150 && Date.now() < deadline; n++) {
            const customer = customers[Math.floor(random() * customers.length)];
            const ern = `pg-restart-${client}-${n}`;
            const outcome = await send(app.url, redeemRequest(customer.mobile, 1, { ern }), {
              agent,
              timeoutMs: CLIENT_TIMEOUT_MS,
            });
            sent.push({ ern, customer, points: 1, outcome });
            if (isItem(outcome, 800)) redeemed += 1;
            else await sleep(100); // a till backs off a little when refused
          }
        }),
      );
      try {
        await waitUntil(() => redeemed >= 100, 30_000, '100 redemptions before the outage');
        stoppedAt = performance.now();
        await own!.stop();
        // A credential the service has never verified: authentication itself needs the database.
        outageProbe = await send(
          app.url,
          {
            method: 'GET',
            path: '/v1.1/customer/get',
            query: { mobile: '919900000001' },
            headers: {
              Authorization: `Basic ${Buffer.from('readonly.till:readonly.pass').toString('base64')}`,
            },
          },
          { timeoutMs: CLIENT_TIMEOUT_MS },
        );
        healthDuringOutage = await send(
          app.url,
          { method: 'GET', path: '/health' },
          { timeoutMs: CLIENT_TIMEOUT_MS },
        );
        await sleep(1500);
        await own!.start();
        await waitForHealth(app.url, 20_000);
        healthyAt = performance.now();
        const before = redeemed;
        await waitUntil(
          () => redeemed >= before + 100,
          30_000,
          '100 redemptions after the restart',
        );
      } finally {
        stop = true;
        await within(load, 30_000, 'load clients');
      }
      loadDone = true;

      // The same process, never restarted, served before, during and after; no connection
      // from a till was dropped or left unanswered.
      expect(app.alive()).toBe(true);
      expect(sent.filter((s) => s.outcome.status === 0).map((s) => summary(s.outcome))).toEqual([]);
      expect(
        sent.filter((s) => isItem(s.outcome, 800) && s.outcome.sentAt < stoppedAt).length,
      ).toBeGreaterThanOrEqual(100);
      expect(sent.filter((s) => s.outcome.status === 503).length).toBeGreaterThan(0);
      expect(
        sent.filter((s) => isItem(s.outcome, 800) && s.outcome.receivedAt > healthyAt).length,
      ).toBeGreaterThanOrEqual(100);
      expect(healthDuringOutage?.status).toBe(503);
    },
    TEST_TIMEOUT_MS,
  );

  it('while the database is down, a refusal is a 503 in the v1.1 envelope or an item 521 — never another 5xx', () => {
    const refusals = loadRun().filter((s) => !isItem(s.outcome, 800));
    const unexpected = refusals
      .map((s) => s.outcome)
      .filter((o) => {
        if (o.status === 200) return redeemItem(o).item_status.code !== 521;
        if (o.status !== 503) return true;
        const st = envelopeStatus(o);
        return !(st?.success === 'false' && (st.code === 503 || st.code === 521));
      })
      .map(summary);
    // On failure, the service's own account of the first one (its error log line) is shown.
    expect({ unexpected, log: unexpected.length > 0 ? app.errorLines().slice(0, 1) : [] }).toEqual({
      unexpected: [],
      log: [],
    });
    // No spurious refusal: each one came after the database was stopped.
    for (const s of refusals) expect(s.outcome.receivedAt).toBeGreaterThan(stoppedAt);
    // Even authentication of a credential not yet cached answers 503, not 401 or 500.
    expect(outageProbe?.status).toBe(503);
    expect(envelopeStatus(outageProbe!)).toEqual({
      success: 'false',
      code: 503,
      message: expect.any(String),
    });
  });

  it(
    'every 800 a till saw was committed, and the ledger invariants hold after the restart',
    async () => {
      const db = new Client({ connectionString: own!.url });
      await db.connect();
      try {
        const rows = await redemptionsByCode(
          db,
          customers.map((c) => c.walletId),
        );
        for (const s of loadRun().filter((x) => isItem(x.outcome, 800))) {
          expect(rows.get(redeemItem(s.outcome).redemption_id!)).toMatchObject({
            ern: s.ern,
            walletId: s.customer.walletId,
            points: '1.000',
          });
        }
        expect(await ledgerProblems(db)).toEqual([]);
        expect(await verifyLedger(app.url)).toMatchObject({
          status: 200,
          body: { ok: true, failures: [] },
        });
      } finally {
        await db.end();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'retrying each refused request with its external reference settles it exactly once',
    async () => {
      const refused = loadRun().filter((s) => !isItem(s.outcome, 800));
      // 800 if the first attempt left nothing behind, 744 if it had committed but its answer
      // was lost with the connection.
      const retries = await sendAll(
        app.url,
        refused.map((s) => redeemRequest(s.customer.mobile, 1, { ern: s.ern })),
        20,
        CLIENT_TIMEOUT_MS,
      );
      expect(retries.filter((o) => o.status !== 200).map(summary)).toEqual([]);
      const retryCodes = retries.map((o) => redeemItem(o).item_status.code);
      expect(retryCodes.filter((c) => c !== 800 && c !== 744)).toEqual([]);

      const db = new Client({ connectionString: own!.url });
      await db.connect();
      try {
        // The database holds exactly the redemptions the tills now know about.
        const known = new Set(sent.filter((s) => isItem(s.outcome, 800)).map((s) => s.ern));
        refused.forEach((s) => known.add(s.ern));
        const walletIds = customers.map((c) => c.walletId);
        const byErn = await redemptionsByErn(db, walletIds);
        expect([...byErn.keys()].filter((e) => e.startsWith('pg-restart-')).sort()).toEqual(
          [...known].sort(),
        );
        // Every wallet lost exactly one point per redemption of it (the warm-up took one too).
        const balances = await walletBalances(db, walletIds);
        const perWallet = tally(
          [...(await redemptionsByCode(db, walletIds)).values()].map((r) => r.walletId),
        );
        for (const c of customers) {
          expect(balances.get(c.walletId)).toBe(100_000 - (perWallet[c.walletId] ?? 0));
        }
        expect(await ledgerProblems(db)).toEqual([]);
      } finally {
        await db.end();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'every redemption has exactly one event, delivered at least once through the restart; none without its redemption',
    async () => {
      const db = new Client({ connectionString: own!.url });
      await db.connect();
      try {
        await expectEveryRedemptionReported(db, receiver, '/ok/restart', webhookSecret);
      } finally {
        await db.end();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
describe('the service is SIGKILLed under load and restarted on the same database', () => {
  let database: TestDatabase | undefined;
  let pg: Pool | undefined;
  let first: AppProcess;
  let second: AppProcess | undefined;
  let customers: Customer[];

  // What the load run saw; the tests after the first one examine it.
  const sent: (Sent & { key: string })[] = [];
  let loadDone = false;
  let committedBefore = new Map<string, string>();
  const answers = () => {
    if (!loadDone) throw new Error('the load run up to the kill did not complete');
    return sent.filter((s) => s.outcome.status !== 0);
  };
  const cut = () => {
    if (!loadDone) throw new Error('the load run up to the kill did not complete');
    return sent.filter((s) => s.outcome.status === 0);
  };

  // Every redemption is also reported to a webhook endpoint, killed mid-delivery too.
  const receiver = new WebhookReceiver();
  let webhookSecret = '';

  beforeAll(async () => {
    database = await createTestDatabase('chaos_kill');
    pg = new Pool({ connectionString: database.url, max: 4 });
    pg.on('error', () => undefined); // idle sessions may be ended by the server
    await receiver.start();
    // A short lease, so that a retry soon takes over the keys the killed process held.
    first = await spawnApp(database.url, { IDEMPOTENCY_LEASE_MS: '1500', ...WEBHOOKS });
    customers = await createCustomers(first.url, 30, 100_000, 10);
    webhookSecret = await subscribeReceiver(first.url, receiver, '/ok/chaos');
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await stopAllApps();
    await receiver.stop();
    await pg?.end();
    await database?.drop();
  }, SETUP_TIMEOUT_MS);

  it(
    'a SIGKILL mid-load cuts off requests in flight; every earlier answer was an 800',
    async () => {
      let answered = 0;
      const load = withAgent(20, (agent) =>
        runClients(20, async (client) => {
          const random = prng(9000 + client);
          for (let n = 0; n < 400; n++) {
            const customer = customers[Math.floor(random() * customers.length)];
            const key = `kill-${client}-${n}`;
            const points = 1 + (n % 3);
            const outcome = await send(
              first.url,
              redeemRequest(customer.mobile, points, { ern: key, key }),
              { agent, timeoutMs: CLIENT_TIMEOUT_MS },
            );
            sent.push({ ern: key, key, customer, points, outcome });
            if (outcome.status === 0) return; // the service is gone
            answered += 1;
          }
        }),
      );
      try {
        await waitUntil(() => answered >= 150, 30_000, '150 answers before the kill');
        await first.kill();
      } finally {
        await within(load, 30_000, 'load clients');
      }
      loadDone = true;

      expect(first.alive()).toBe(false);
      expect(
        answers()
          .map((s) => summary(s.outcome))
          .filter((d) => d !== '200/item 800'),
      ).toEqual([]);
      // Some requests were in flight (reset), not merely refused after the fact.
      expect(cut().filter((s) => s.outcome.error !== 'ECONNREFUSED').length).toBeGreaterThan(0);

      // The killed process's sessions end (PostgreSQL rolls back what they had open).
      for (let waited = 0; ; waited += 100) {
        const { rows } = await pg!.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'points-redemption'`,
        );
        if (rows[0].n === 0) break;
        if (waited > 15_000) throw new Error(`${rows[0].n} sessions of the killed process remain`);
        await sleep(100);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'before any restart: every 800 exists and nothing is half-written',
    async () => {
      const walletIds = customers.map((c) => c.walletId);
      const rows = await redemptionsByCode(pg!, walletIds);
      for (const s of answers()) {
        expect(rows.get(redeemItem(s.outcome).redemption_id!)).toMatchObject({
          ern: s.ern,
          walletId: s.customer.walletId,
          points: `${s.points}.000`,
        });
      }
      // Allocations = points, one REDEMPTION ledger row each, balance = ledger = lots.
      expect(await ledgerProblems(pg!)).toEqual([]);
      committedBefore = await redemptionsByErn(pg!, walletIds);
      const sentKeys = new Set(sent.map((s) => s.key));
      for (const ern of committedBefore.keys()) expect(sentKeys.has(ern)).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a new process on the same database serves and verifies the ledger',
    async () => {
      second = await spawnApp(database!.url, { IDEMPOTENCY_WAIT_MS: '10000', ...WEBHOOKS });
      expect(await verifyLedger(second.url)).toMatchObject({
        status: 200,
        body: { ok: true, failures: [] },
      });
      const fresh = await send(second.url, redeemRequest(customers[0].mobile, 2, { ern: 'after' }));
      expect(isItem(fresh, 800)).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'each cut-off request retried with its key ends as exactly one redemption',
    async () => {
      if (!second) throw new Error('no second process');
      const lost = cut();
      // The retry takes the key over once the dead owner's lease lapses; a redemption that had
      // committed before the kill is reported, not redone.
      const retries = await sendAll(
        second.url,
        lost.map((s) => redeemRequest(s.customer.mobile, s.points, { ern: s.ern, key: s.key })),
        20,
        CLIENT_TIMEOUT_MS,
      );
      expect(retries.map(summary).filter((d) => d !== '200/item 800')).toEqual([]);
      lost.forEach((s, i) => {
        const before = committedBefore.get(s.ern);
        if (before !== undefined) expect(redeemItem(retries[i]).redemption_id).toBe(before);
      });
      const walletIds = customers.map((c) => c.walletId);
      const after = await redemptionsByErn(pg!, walletIds);
      expect([...after.keys()].filter((e) => e.startsWith('kill-')).sort()).toEqual(
        sent.map((s) => s.ern).sort(),
      );
      expect(await ledgerProblems(pg!)).toEqual([]);
      expect(await verifyLedger(second.url)).toMatchObject({
        status: 200,
        body: { ok: true, failures: [] },
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'every redemption in the books has exactly one event, delivered at least once; no event without its redemption',
    async () => {
      await expectEveryRedemptionReported(pg!, receiver, '/ok/chaos', webhookSecret);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('a wallet lock held past LOCK_TIMEOUT_MS', () => {
  const LOCK_TIMEOUT_MS = 1000;
  let t: TestApp;
  let customer: Customer;
  let redemptionId: string;

  /** Holds the wallet row lock in another transaction while `during` runs. */
  async function withWalletLocked<T>(during: () => Promise<T>): Promise<T> {
    const holder: PoolClient = await t.pg.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM wallet WHERE id = $1 FOR UPDATE`, [customer.walletId]);
      return await during();
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
  }

  async function writeCounts(): Promise<unknown> {
    const { rows } = await t.pg.query(
      `SELECT (SELECT count(*) FROM redemption)::int AS redemptions,
              (SELECT count(*) FROM reversal)::int AS reversals,
              (SELECT count(*) FROM ledger_entry)::int AS ledger,
              (SELECT count(*) FROM lot)::int AS lots,
              (SELECT sum(balance)::text FROM wallet) AS balance`,
    );
    return rows[0];
  }

  const elapsed = (o: Outcome) => o.receivedAt - o.sentAt;

  beforeAll(async () => {
    t = await startTestApp('chaos_lock', {
      LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS),
      RATE_LIMIT_PER_MINUTE: '1000000',
    });
    customer = await createCustomer(t.url, 100);
    const first = await send(t.url, redeemRequest(customer.mobile, 10));
    expect(isItem(first, 800)).toBe(true);
    redemptionId = redeemItem(first).redemption_id!;
    // Warm the admin credential too (its first hash is slow).
    expect((await send(t.url, adminRequest('GET', '/admin/config'))).status).toBe(200);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
  }, SETUP_TIMEOUT_MS);

  it(
    'redeem: every waiting request gets item 521 after the lock wait, none hangs, nothing is written',
    async () => {
      const before = await writeCounts();
      const outcomes = await withWalletLocked(() =>
        Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            send(t.url, redeemRequest(customer.mobile, 1, { ern: `locked-${i}` }), {
              timeoutMs: CLIENT_TIMEOUT_MS,
            }),
          ),
        ),
      );
      for (const o of outcomes) {
        expect(o.status).toBe(200);
        const item = redeemItem(o);
        expect(item.item_status).toEqual({
          success: 'false',
          code: 521,
          message: expect.any(String),
        });
        expect(item).not.toHaveProperty('redemption_id');
        // It waited for the lock, and gave up within a bound of the configured wait.
        expect(elapsed(o)).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS - 50);
        expect(elapsed(o)).toBeLessThan(LOCK_TIMEOUT_MS + 3000);
      }
      expect(await writeCounts()).toEqual(before);

      // Released: the same request now goes through.
      const retry = await send(t.url, redeemRequest(customer.mobile, 1, { ern: 'locked-0' }));
      expect(isItem(retry, 800)).toBe(true);
      expect(await ledgerProblems(t.pg)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reverse: 503 with {"errors":[{"code":521}]} after the lock wait; then it reverses',
    async () => {
      const before = await writeCounts();
      const o = await withWalletLocked(() =>
        send(t.url, reverseRequest(redemptionId, 4), { timeoutMs: CLIENT_TIMEOUT_MS }),
      );
      expect({ status: o.status, body: JSON.parse(o.text) as unknown }).toEqual({
        status: 503,
        body: { errors: [{ code: 521, message: expect.any(String) }] },
      });
      expect(elapsed(o)).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS - 50);
      expect(elapsed(o)).toBeLessThan(LOCK_TIMEOUT_MS + 3000);
      expect(await writeCounts()).toEqual(before);

      const retry = await send(t.url, reverseRequest(redemptionId, 4));
      expect(retry.status).toBe(200);
      expect(JSON.parse(retry.text)).toMatchObject({ redemptionId, pointsReversed: 4 });
      expect(await ledgerProblems(t.pg)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'admin credit: 503 with code 521 in the envelope and Retry-After; then it credits',
    async () => {
      const before = await writeCounts();
      const balanceBefore = (await walletBalances(t.pg, [customer.walletId])).get(
        customer.walletId,
      )!;
      const credit = adminRequest('POST', '/admin/points/credit', {
        customer_id: customer.id,
        points: 5,
      });
      const o = await withWalletLocked(() => send(t.url, credit, { timeoutMs: CLIENT_TIMEOUT_MS }));
      expect(o.status).toBe(503);
      expect(envelopeStatus(o)).toEqual({
        success: 'false',
        code: 521,
        message: expect.any(String),
      });
      expect(o.headers['retry-after']).toBe('1');
      expect(elapsed(o)).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS - 50);
      expect(elapsed(o)).toBeLessThan(LOCK_TIMEOUT_MS + 3000);
      expect(await writeCounts()).toEqual(before);

      const retry = await send(t.url, credit);
      expect(retry.status).toBe(201);
      const balances = await walletBalances(t.pg, [customer.walletId]);
      expect(balances.get(customer.walletId)).toBe(balanceBefore + 5);
      expect(await ledgerProblems(t.pg)).toEqual([]);
      expect(await verifyLedger(t.url)).toMatchObject({ status: 200, body: { ok: true } });
    },
    TEST_TIMEOUT_MS,
  );
});
