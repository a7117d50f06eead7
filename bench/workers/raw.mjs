/**
 * The ceiling: the redemption transaction issued straight from `pg`, one client per
 * connection, no HTTP and no framework. The statements are the service's own texts, loaded
 * from its build's one module for the benchmarks (dist/src/statements.js), and sent as the
 * service sends them (its pipeline, from the same module): BEGIN, the customer
 * with their wallet locked and then the wallet's lots and whether the reference is taken,
 * in one round trip; the redemption's one writing statement with COMMIT in the second.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { spreadMobile, HOT_MOBILE } from '../lib/fixtures.mjs';
import { fromMilli, summarize, toMilli } from '../lib/util.mjs';
import { serveWorker } from '../lib/workers.mjs';

const require = createRequire(import.meta.url);
const {
  CUSTOMER_SQL,
  CUSTOMER_WHERE,
  REDEMPTION_SQL,
  SPEND_SQL,
  pipeline,
  TRANSACTION_SQL,
} = require('../../dist/src/statements.js');

// Same names and texts as the service's `prepared(...)` declarations.
const STATEMENTS = [
  ['tx-begin', TRANSACTION_SQL.begin],
  ['tx-commit', TRANSACTION_SQL.commit],
  ['customer-by-mobile-locking-wallet', CUSTOMER_SQL.findLockingWallet(CUSTOMER_WHERE.mobile)],
  [
    'redemption-lots-and-reference-of-mobile',
    REDEMPTION_SQL.lotsAndReferenceOf(CUSTOMER_WHERE.mobile),
  ],
  ['redemption-redeem', SPEND_SQL],
];
const [BEGIN, COMMIT, LOCK, LOTS, REDEEM] = STATEMENTS.map(([name]) => name);
const TEXT = Object.fromEntries(STATEMENTS);
const step = (name, params = []) => ({ name, text: TEXT[name], params });

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomCode = () =>
  Array.from({ length: 6 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');

const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

class Outcome extends Error {}

/** Lots in spending order → [{ lotId, points }] covering `wanted` thousandths, or null. */
function allocate(lots, wanted) {
  const out = [];
  let left = wanted;
  for (const lot of lots) {
    if (left === 0n) break;
    const take = toMilli(lot.remaining) < left ? toMilli(lot.remaining) : left;
    out.push({ lotId: lot.id, points: fromMilli(take) });
    left -= take;
  }
  return left === 0n ? out : null;
}

async function redeemOnce(client, p, customer, ern) {
  const points = toMilli(p.points);
  for (let attempt = 1; ; attempt++) {
    let committed = false;
    try {
      const now = new Date();
      // The connection's lock_timeout was set once (see run), as the service's is.
      const [lockResult, lotsResult] = (
        await pipeline(client, [
          step(BEGIN),
          step(LOCK, [p.orgId, customer.mobile, p.programId]),
          step(LOTS, [p.orgId, customer.mobile, p.programId, ern]),
        ])
      ).slice(1); // after BEGIN's result
      const wallet = lockResult.rows[0];
      if (!wallet?.wallet_id) throw new Outcome('no_wallet');
      const balance = toMilli(wallet.wallet_balance);
      const rows = lotsResult.rows;
      if (rows[0].reference_used) throw new Outcome('duplicate_reference');
      const lots = rows.filter((r) => r.id !== null);
      if (points > balance) throw new Outcome('insufficient');
      const allocations = allocate(lots, points);
      if (!allocations) throw new Error(`wallet ${wallet.wallet_id}: balance and lots disagree`);
      const requestId = randomUUID();
      // redeemed_value = points × points_currency_ratio, which is 1 in the seeded program.
      const redeemParams = [
        p.orgId,
        randomCode(),
        wallet.wallet_id,
        p.programId,
        wallet.id,
        null,
        p.points,
        p.points,
        `raw-${ern}`,
        ern,
        '',
        'SKIPPED',
        now,
        '',
        '',
        '[]',
        p.tillId,
        requestId,
        now,
        allocations.map((a) => a.lotId),
        allocations.map((a) => a.points),
        fromMilli(balance - points),
        'till',
      ];
      const [redeemResult] = await pipeline(client, [step(REDEEM, redeemParams), step(COMMIT)]);
      committed = true;
      const [redemption] = redeemResult.rows;
      if (!redemption) throw new Outcome('duplicate_reference');
      return 'ok';
    } catch (err) {
      if (!committed) await client.query(TRANSACTION_SQL.rollback).catch(() => undefined);
      if (err instanceof Outcome) return err.message;
      const codeCollision = err.code === '23505' && err.constraint === 'redemption_org_id_code_key';
      if ((RETRYABLE.has(err.code) || codeCollision) && attempt < MAX_ATTEMPTS) continue;
      if (err.code === '55P03') return 'lock_timeout';
      return `error ${err.code ?? err.message}`;
    }
  }
}

/** `total` transactions over all clients; each client runs one at a time. */
async function drive(clients, total, p, prefix, record) {
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < total) {
        const i = next++;
        const customer =
          p.target === 'hot'
            ? { mobile: HOT_MOBILE }
            : { mobile: spreadMobile(1 + randomInt(p.customers)) };
        const started = performance.now();
        const outcome = await redeemOnce(client, p, customer, `${prefix}-${i}`);
        record(outcome, performance.now() - started);
      }
    }),
  );
}

async function run(p, warm) {
  const clients = await Promise.all(
    Array.from({ length: p.connections }, async () => {
      const client = new pg.Client({
        connectionString: p.databaseUrl,
        application_name: 'bench-raw',
      });
      await client.connect();
      await client.query(`SET lock_timeout = ${p.lockTimeoutMs}`);
      return client;
    }),
  );
  try {
    await drive(clients, p.warmup, p, `${p.ernPrefix}-w`, () => undefined);
    await warm();
    const latencies = [];
    const outcomes = {};
    const cpu = process.cpuUsage();
    const started = performance.now();
    await drive(clients, p.requests, p, p.ernPrefix, (outcome, ms) => {
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (outcome === 'ok') latencies.push(ms);
    });
    const elapsed = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    const failed = p.requests - (outcomes.ok ?? 0);
    return {
      ...summarize(latencies, p.requests, elapsed),
      ok: outcomes.ok ?? 0,
      // Transactions that did not commit; lock timeouts are the raw twin of item code 521.
      errors: failed - (outcomes.lock_timeout ?? 0),
      otherCodes: outcomes.lock_timeout ? { lock_timeout: outcomes.lock_timeout } : {},
      outcomes,
      clientCpuMs: (user + system) / 1000,
    };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

serveWorker(run);
