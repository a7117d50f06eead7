/**
 * The ceiling: the redemption transaction issued straight from `pg`, one client per
 * connection, no HTTP and no framework, with the customer id already known. The statements
 * are the service's own texts, loaded from its build (dist/src/wallets/wallet.sql.js,
 * dist/src/redemptions/redemption.sql.js), sent as the same named prepared statements: lock
 * the wallet; read its lots and whether the reference is taken; write redemption,
 * allocations, lots, ledger and wallet in one statement. The service locks the wallet in
 * the statement that also reads the customer, so its lock does a little more than this one.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { fromMilli, summarize, toMilli } from '../lib/util.mjs';
import { serveWorker } from '../lib/workers.mjs';

const require = createRequire(import.meta.url);
const { WALLET_SQL } = require('../../dist/src/wallets/wallet.sql.js');
const { REDEMPTION_SQL } = require('../../dist/src/redemptions/redemption.sql.js');

// Same names as the service's `prepared(...)` declarations.
const LOCK_WALLET = { name: 'wallet-lock-customer_id', text: WALLET_SQL.lock('customer_id') };
const LOTS_AND_REFERENCE = {
  name: 'redemption-lots-and-reference',
  text: REDEMPTION_SQL.lotsAndReference,
};
const REDEEM = { name: 'redemption-redeem', text: REDEMPTION_SQL.redeem };
const query = (client, statement, values) => client.query({ ...statement, values });

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

async function redeemOnce(client, p, customerId, ern) {
  const points = toMilli(p.points);
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`BEGIN; SET LOCAL lock_timeout = ${p.lockTimeoutMs}`);
      const now = new Date();
      const {
        rows: [wallet],
      } = await query(client, LOCK_WALLET, [p.programId, customerId]);
      if (!wallet) throw new Outcome('no_wallet');
      const balance = toMilli(wallet.balance);
      const { rows } = await query(client, LOTS_AND_REFERENCE, [wallet.id, wallet.org_id, ern]);
      if (rows[0].reference_used) throw new Outcome('duplicate_reference');
      const lots = rows.filter((r) => r.id !== null);
      if (points > balance) throw new Outcome('insufficient');
      const allocations = allocate(lots, points);
      if (!allocations) throw new Error(`wallet ${wallet.id}: balance and lots disagree`);
      const requestId = randomUUID();
      // redeemed_value = points × points_currency_ratio, which is 1 in the seeded program.
      const {
        rows: [redemption],
      } = await query(client, REDEEM, [
        wallet.org_id,
        randomCode(),
        wallet.id,
        p.programId,
        customerId,
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
      ]);
      if (!redemption) throw new Outcome('duplicate_reference');
      await client.query('COMMIT');
      return 'ok';
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
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
        const customerId =
          p.target === 'hot'
            ? p.hotCustomerId
            : p.spreadCustomerIds[randomInt(p.spreadCustomerIds.length)];
        const started = performance.now();
        const outcome = await redeemOnce(client, p, customerId, `${prefix}-${i}`);
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
