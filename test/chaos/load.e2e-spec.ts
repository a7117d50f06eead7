import { setTimeout as sleep } from 'node:timers/promises';
import { PoolClient } from 'pg';
import { DEMO_TILL } from '../support/credentials';
import { maxInFlight, TimedRequest } from '../support/http-load';
import {
  adminRequest,
  createCustomer,
  createCustomers,
  redeemItem,
  redeemRequest,
  reverseRequest,
  verifyLedger,
  walletBalances,
} from '../support/chaos/chaos-api';
import { ledgerProblems, redemptionsByCode } from '../support/chaos/invariants';
import {
  Outcome,
  prng,
  runClients,
  send,
  sendAll,
  tally,
  withAgent,
} from '../support/chaos/load-client';
import { startTestApp, TestApp } from '../support/test-app';

// A generous lock wait: under load on a small machine a queue of 50 requests on one wallet
// must not turn into 521s, which are not what this suite is about (faults.e2e-spec.ts is).
const APP_ENV = {
  RATE_LIMIT_PER_MINUTE: '1000000',
  LOCK_TIMEOUT_MS: '20000',
  IDEMPOTENCY_WAIT_MS: '15000',
};
const CLIENT_TIMEOUT_MS = 30_000;
// Jest's default is 5 s (the e2e project's testTimeout is not applied per project).
const TEST_TIMEOUT_MS = 60_000;

/** Short descriptions of every exchange that was not an HTTP answer below 500. */
function serverErrors(outcomes: Outcome[]): string[] {
  return outcomes
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => o.status === 0 || o.status >= 500)
    .map(({ o, i }) => `#${i}: ${o.status} ${o.error ?? o.text.slice(0, 200)}`);
}

/**
 * The successes on one wallet, ordered by the balance they reported, must form one chain
 * from `start`: each took its points from the balance the previous one left. That is what
 * "each redemption saw the locked, current balance" looks like from outside.
 */
function expectSerialChain(start: number, successes: { points: number; balance: number }[]) {
  const ordered = [...successes].sort((a, b) => b.balance - a.balance);
  let running = start;
  const reported: number[] = [];
  const expected: number[] = [];
  for (const s of ordered) {
    running -= s.points;
    expected.push(running);
    reported.push(s.balance);
  }
  expect(reported).toEqual(expected);
  return running;
}

describe('load over real HTTP: no double spend, exactly once, no 5xx', () => {
  let t: TestApp;

  /** Sends `requests` through `clients` concurrent workers sharing one queue. */
  function fire(clients: number, requests: TimedRequest[]): Promise<Outcome[]> {
    return sendAll(t.url, requests, clients, CLIENT_TIMEOUT_MS);
  }

  async function expectLedgerHolds(): Promise<void> {
    expect(await ledgerProblems(t.pg)).toEqual([]);
    const verified = await verifyLedger(t.url);
    expect(verified).toMatchObject({ status: 200, body: { ok: true, failures: [] } });
  }

  async function redemptionLedgerRows(walletIds: string[]): Promise<number> {
    const { rows } = await t.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entry
        WHERE kind = 'REDEMPTION' AND wallet_id = ANY($1::bigint[])`,
      [walletIds],
    );
    return rows[0].n;
  }

  beforeAll(async () => {
    t = await startTestApp('chaos_load', APP_ENV);
    // One authenticated call per credential first, so that the bursts race on wallets, not
    // on the first (slow) password hash.
    const warm = await send(t.url, {
      method: 'GET',
      path: '/v1.1/customer/get',
      query: { mobile: '919900000001' },
      headers: { Authorization: DEMO_TILL },
    });
    expect(warm.status).toBe(200);
    expect((await send(t.url, adminRequest('GET', '/admin/config'))).status).toBe(200);
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
  }, TEST_TIMEOUT_MS);

  it(
    '1,000 redemptions from 50 clients on one 600-point wallet: exactly 600 succeed',
    async () => {
      const customer = await createCustomer(t.url, 600);
      const requests = Array.from({ length: 1000 }, (_, i) =>
        redeemRequest(customer.mobile, 1, { ern: `one-${customer.id}-${i}` }),
      );
      const outcomes = await fire(50, requests);

      expect(serverErrors(outcomes)).toEqual([]);
      expect(maxInFlight(outcomes)).toBeGreaterThanOrEqual(10);
      expect(outcomes.every((o) => o.status === 200)).toBe(true);
      const items = outcomes.map(redeemItem);
      expect(tally(items.map((i) => i.item_status.code))).toEqual({ 800: 600, 803: 400 });

      const ok = items
        .map((item, i) => ({ item, ern: `one-${customer.id}-${i}` }))
        .filter(({ item }) => item.item_status.code === 800);
      expect(
        expectSerialChain(
          600,
          ok.map(({ item }) => ({ points: 1, balance: item.balance! })),
        ),
      ).toBe(0);
      for (const item of items.filter((i) => i.item_status.code === 803)) {
        expect(item).not.toHaveProperty('redemption_id');
        expect(item).not.toHaveProperty('balance');
      }

      // Exactly the redemptions the clients were told about exist, each once.
      const rows = await redemptionsByCode(t.pg, [customer.walletId]);
      expect([...rows.keys()].sort()).toEqual(ok.map(({ item }) => item.redemption_id!).sort());
      for (const { item, ern } of ok) {
        expect(rows.get(item.redemption_id!)).toMatchObject({ ern, points: '1.000' });
        expect(item.side_effects.effect[0].id).toBe(Number(rows.get(item.redemption_id!)!.id));
      }
      expect(await redemptionLedgerRows([customer.walletId])).toBe(600);
      expect((await walletBalances(t.pg, [customer.walletId])).get(customer.walletId)).toBe(0);
      await expectLedgerHolds();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '1,000 redemptions from 50 clients spread over 200 wallets: per-wallet chains, no lost update',
    async () => {
      const START = 8;
      const customers = await createCustomers(t.url, 200, START, 20);
      // 37 is coprime with 200: every wallet gets 5 requests of 1-3 points (some must fail).
      const plan = Array.from({ length: 1000 }, (_, i) => ({
        customer: customers[(i * 37) % 200],
        points: 1 + (i % 3),
        ern: `spread-${i}-${customers[0].id}`,
      }));
      const outcomes = await fire(
        50,
        plan.map((p) => redeemRequest(p.customer.mobile, p.points, { ern: p.ern })),
      );

      expect(serverErrors(outcomes)).toEqual([]);
      expect(maxInFlight(outcomes)).toBeGreaterThanOrEqual(10);
      expect(outcomes.every((o) => o.status === 200)).toBe(true);
      const items = outcomes.map(redeemItem);
      const codes = tally(items.map((i) => i.item_status.code));
      expect(Object.keys(codes).sort()).toEqual(['800', '803']);

      const walletIds = customers.map((c) => c.walletId);
      const balances = await walletBalances(t.pg, walletIds);
      for (const c of customers) {
        const mine = plan
          .map((p, i) => ({ p, item: items[i] }))
          .filter(({ p }) => p.customer === c);
        const successes = mine.filter(({ item }) => item.item_status.code === 800);
        const left = expectSerialChain(
          START,
          successes.map(({ p, item }) => ({ points: p.points, balance: item.balance! })),
        );
        expect(balances.get(c.walletId)).toBe(left);
        // Balances only went down: a refusal for X points means the wallet ends below X.
        for (const { p } of mine.filter(({ item }) => item.item_status.code === 803)) {
          expect(left).toBeLessThan(p.points);
        }
      }

      const ok = plan
        .map((p, i) => ({ p, item: items[i] }))
        .filter(({ item }) => item.item_status.code === 800);
      const rows = await redemptionsByCode(t.pg, walletIds);
      expect(rows.size).toBe(codes['800']);
      expect([...rows.keys()].sort()).toEqual(ok.map(({ item }) => item.redemption_id!).sort());
      for (const { p, item } of ok) {
        expect(rows.get(item.redemption_id!)).toMatchObject({
          walletId: p.customer.walletId,
          ern: p.ern,
          points: `${p.points}.000`,
        });
      }
      expect(await redemptionLedgerRows(walletIds)).toBe(codes['800']);
      await expectLedgerHolds();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'mixed redeem / reverse / credit traffic on 20 wallets matches a model of the answers',
    async () => {
      const START = 50;
      const customers = await createCustomers(t.url, 20, START, 20);
      interface Op {
        kind: 'redeem' | 'reverse' | 'credit';
        wallet: number;
        points?: number;
        code?: string;
        outcome: Outcome;
      }
      const ops: Op[] = [];
      const redeemed: { code: string; wallet: number; points: number }[] = [];

      await withAgent(40, (agent) =>
        runClients(40, async (client) => {
          const random = prng(1000 + client);
          const pick = (n: number) => Math.floor(random() * n);
          for (let n = 0; n < 25; n++) {
            const r = random();
            if (r < 0.5 || redeemed.length === 0) {
              const wallet = pick(20);
              const points = 1 + pick(5);
              const outcome = await send(t.url, redeemRequest(customers[wallet].mobile, points), {
                agent,
                timeoutMs: CLIENT_TIMEOUT_MS,
              });
              ops.push({ kind: 'redeem', wallet, points, outcome });
              if (outcome.status === 200) {
                const item = redeemItem(outcome);
                if (item.item_status.code === 800) {
                  redeemed.push({ code: item.redemption_id!, wallet, points });
                }
              }
            } else if (r < 0.75) {
              const target = redeemed[pick(redeemed.length)];
              const points = random() < 0.5 ? undefined : 1 + pick(target.points);
              const outcome = await send(t.url, reverseRequest(target.code, points), {
                agent,
                timeoutMs: CLIENT_TIMEOUT_MS,
              });
              ops.push({
                kind: 'reverse',
                wallet: target.wallet,
                points,
                code: target.code,
                outcome,
              });
            } else {
              const wallet = pick(20);
              const points = 1 + pick(10);
              const outcome = await send(
                t.url,
                adminRequest('POST', '/admin/points/credit', {
                  customer_id: customers[wallet].id,
                  points,
                }),
                { agent, timeoutMs: CLIENT_TIMEOUT_MS },
              );
              ops.push({ kind: 'credit', wallet, points, outcome });
            }
          }
        }),
      );

      expect(ops).toHaveLength(1000);
      expect(serverErrors(ops.map((o) => o.outcome))).toEqual([]);
      expect(maxInFlight(ops.map((o) => o.outcome))).toBeGreaterThanOrEqual(10);

      const expected = customers.map(() => START);
      const reversedByCode = new Map<string, number>();
      const reversalIds: string[] = [];
      const unexpected: string[] = [];
      const fullyReversed: string[] = [];
      const exceeded: { code: string; points: number }[] = [];
      let credits = 0;
      for (const op of ops) {
        const { status, text } = op.outcome;
        if (op.kind === 'redeem') {
          const code = status === 200 ? redeemItem(op.outcome).item_status.code : undefined;
          if (code === 800) expected[op.wallet] -= op.points!;
          else if (code !== 803) unexpected.push(`redeem: ${status} ${text}`);
        } else if (op.kind === 'credit') {
          if (status === 201) {
            expected[op.wallet] += op.points!;
            credits += 1;
          } else unexpected.push(`credit: ${status} ${text}`);
        } else if (status === 200) {
          const body = JSON.parse(text) as {
            reversalId: string;
            pointsToBeReversed: number;
            pointsReversed: number;
          };
          if (op.points !== undefined) expect(body.pointsToBeReversed).toBe(op.points);
          expect(body.pointsReversed).toBe(body.pointsToBeReversed); // nothing expires here
          expected[op.wallet] += body.pointsReversed;
          reversedByCode.set(op.code!, (reversedByCode.get(op.code!) ?? 0) + body.pointsReversed);
          reversalIds.push(body.reversalId);
        } else {
          const errors = (JSON.parse(text) as { errors?: { code: number }[] }).errors;
          const code = errors?.[0]?.code;
          if (status === 409 && code === 3802) fullyReversed.push(op.code!);
          else if (status === 400 && code === 810 && op.points !== undefined)
            exceeded.push({ code: op.code!, points: op.points });
          else unexpected.push(`reverse: ${status} ${text}`);
        }
      }
      expect(unexpected).toEqual([]);
      expect(reversalIds.length).toBeGreaterThan(0);

      // Every wallet holds exactly what the answers the clients got add up to.
      const walletIds = customers.map((c) => c.walletId);
      const balances = await walletBalances(t.pg, walletIds);
      expect(customers.map((c) => balances.get(c.walletId))).toEqual(expected);
      for (const b of expected) expect(b).toBeGreaterThanOrEqual(0);

      // Exactly the redemptions and reversals that were answered as done exist.
      const rows = await redemptionsByCode(t.pg, walletIds);
      expect([...rows.keys()].sort()).toEqual(redeemed.map((r) => r.code).sort());
      for (const r of redeemed) {
        expect(Number(rows.get(r.code)!.points)).toBe(r.points);
        expect(Number(rows.get(r.code)!.reversed)).toBe(reversedByCode.get(r.code) ?? 0);
      }
      // Refusals were right: reversals only add up, so what was refused is still refused.
      for (const code of fullyReversed) {
        expect(rows.get(code)!.reversed).toBe(rows.get(code)!.points);
      }
      for (const e of exceeded) {
        const row = rows.get(e.code)!;
        expect(Number(row.points) - Number(row.reversed)).toBeLessThan(e.points);
      }
      const { rows: reversals } = await t.pg.query<{ code: string }>(
        `SELECT v.code FROM reversal v JOIN redemption r ON r.id = v.redemption_id
        WHERE r.wallet_id = ANY($1::bigint[])`,
        [walletIds],
      );
      expect(reversals.map((r) => r.code).sort()).toEqual([...reversalIds].sort());
      const { rows: creditRows } = await t.pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ledger_entry
        WHERE kind = 'CREDIT' AND wallet_id = ANY($1::bigint[])`,
        [walletIds],
      );
      expect(creditRows[0].n).toBe(customers.length + credits);
      expect(await redemptionLedgerRows(walletIds)).toBe(redeemed.length);
      await expectLedgerHolds();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '100 concurrent sends with one Idempotency-Key: one redemption, 100 identical answers',
    async () => {
      const customer = await createCustomer(t.url, 100);
      const key = `chaos-key-${customer.id}`;
      const outcomes = await fire(
        100,
        Array.from({ length: 100 }, () => redeemRequest(customer.mobile, 7, { key })),
      );

      expect(serverErrors(outcomes)).toEqual([]);
      expect(maxInFlight(outcomes)).toBeGreaterThanOrEqual(10);
      expect(outcomes.map((o) => o.status)).toEqual(Array<number>(100).fill(200));
      for (const o of outcomes) expect(o.text).toBe(outcomes[0].text);
      expect(redeemItem(outcomes[0]).item_status.code).toBe(800);
      expect(redeemItem(outcomes[0]).balance).toBe(93);
      expect(tally(outcomes.map((o) => String(o.headers['idempotent-replayed'])))).toEqual({
        true: 99,
        undefined: 1,
      });

      const rows = await redemptionsByCode(t.pg, [customer.walletId]);
      expect([...rows.keys()]).toEqual([redeemItem(outcomes[0]).redemption_id]);
      expect((await walletBalances(t.pg, [customer.walletId])).get(customer.walletId)).toBe(93);
      await expectLedgerHolds();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '100 concurrent sends of one external_reference_number: one 800, 99 × 744',
    async () => {
      const customer = await createCustomer(t.url, 100);
      const ern = `chaos-ern-${customer.id}`;
      const outcomes = await fire(
        100,
        Array.from({ length: 100 }, () => redeemRequest(customer.mobile, 5, { ern })),
      );

      expect(serverErrors(outcomes)).toEqual([]);
      expect(maxInFlight(outcomes)).toBeGreaterThanOrEqual(10);
      expect(outcomes.map((o) => o.status)).toEqual(Array<number>(100).fill(200));
      const items = outcomes.map(redeemItem);
      expect(tally(items.map((i) => i.item_status.code))).toEqual({ 800: 1, 744: 99 });
      const winner = items.find((i) => i.item_status.code === 800)!;
      expect(winner.balance).toBe(95);
      for (const dup of items.filter((i) => i.item_status.code === 744)) {
        expect(dup).not.toHaveProperty('redemption_id');
      }

      const rows = await redemptionsByCode(t.pg, [customer.walletId]);
      expect([...rows.entries()]).toEqual([
        [winner.redemption_id, expect.objectContaining({ ern })],
      ]);
      expect((await walletBalances(t.pg, [customer.walletId])).get(customer.walletId)).toBe(95);
      await expectLedgerHolds();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a client that times out while the wallet is locked and retries with its key gets the stored answer',
    async () => {
      const customer = await createCustomer(t.url, 40);
      const key = `chaos-timeout-${customer.id}`;
      const request = redeemRequest(customer.mobile, 11, { key });
      let holder: PoolClient | undefined = await t.pg.connect();
      try {
        await holder.query('BEGIN');
        const locked = await holder.query(`SELECT id FROM wallet WHERE id = $1 FOR UPDATE`, [
          customer.walletId,
        ]);
        expect(locked.rowCount).toBe(1);

        // The till gives up after 300 ms; the service is still waiting for the wallet.
        const first = await send(t.url, request, { timeoutMs: 300 });
        expect(first).toMatchObject({ status: 0, error: 'client timeout' });
        let waiting = 0;
        for (let waited = 0; waiting === 0 && waited < 5000; waited += 50) {
          const { rows } = await t.pg.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'
              AND application_name = 'points-redemption'`,
          );
          waiting = rows[0].n;
          if (waiting === 0) await sleep(50);
        }
        expect(waiting).toBe(1);
        expect((await redemptionsByCode(t.pg, [customer.walletId])).size).toBe(0);

        await holder.query('ROLLBACK');
        holder.release();
        holder = undefined;

        const retry = await send(t.url, request, { timeoutMs: CLIENT_TIMEOUT_MS });
        expect(retry.status).toBe(200);
        expect(retry.headers['idempotent-replayed']).toBe('true');
        const item = redeemItem(retry);
        expect(item.item_status.code).toBe(800);
        expect(item.balance).toBe(29);

        const rows = await redemptionsByCode(t.pg, [customer.walletId]);
        expect([...rows.keys()]).toEqual([item.redemption_id]);
        const { rows: stored } = await t.pg.query<{ response_body: string }>(
          `SELECT response_body FROM idempotency_key WHERE key = $1`,
          [key],
        );
        expect(stored).toEqual([{ response_body: retry.text }]);
        expect((await walletBalances(t.pg, [customer.walletId])).get(customer.walletId)).toBe(29);

        // And again, later: still the same answer, still one redemption.
        const again = await send(t.url, request, { timeoutMs: CLIENT_TIMEOUT_MS });
        expect(again.text).toBe(retry.text);
        expect((await redemptionsByCode(t.pg, [customer.walletId])).size).toBe(1);
        await expectLedgerHolds();
      } finally {
        if (holder) {
          await holder.query('ROLLBACK').catch(() => undefined);
          holder.release();
        }
      }
    },
    TEST_TIMEOUT_MS,
  );
});
