/**
 * The ceiling: the service's redemption transaction issued straight from `pg`, one client
 * per connection, no HTTP and no framework. The statements are the service's own
 * (src/wallets/wallet.repository.ts lock + openLots, src/redemptions/redemption.repository.ts
 * insert + applySpend), as unnamed parameterised queries like the service sends them.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { fromMilli, summarize, toMilli } from '../lib/util.mjs';
import { serveWorker } from '../lib/workers.mjs';

const LOCK_WALLET = `SELECT id, org_id, balance FROM wallet
  WHERE program_id = $1 AND customer_id = $2 FOR UPDATE`;

const OPEN_LOTS = `SELECT id, remaining, expires_at FROM lot
  WHERE wallet_id = $1 AND remaining > 0
  ORDER BY expires_at ASC NULLS LAST, earned_at ASC, id ASC`;

// redeemed_value = points × points_currency_ratio, which is 1 in the seeded program.
const INSERT_REDEMPTION = `INSERT INTO redemption (org_id, code, wallet_id, program_id, customer_id,
    group_id, points, redeemed_value, transaction_number, external_reference_number,
    validation_code, validation_type, redemption_time, notes, purpose, custom_fields, till_id,
    request_id, created_at)
  VALUES ($1, $2, $3, $4, $5, NULL, $6, $6, $7, $8, '', 'SKIPPED', $9, '', '', '[]', $10, $11, $9)
  ON CONFLICT (org_id, external_reference_number) WHERE external_reference_number IS NOT NULL
  DO NOTHING
  RETURNING id`;

/** Allocations, lot decrements, the REDEMPTION ledger row and the wallet (one statement). */
const APPLY_SPEND = `WITH alloc AS (
    SELECT * FROM unnest($2::bigint[], $3::numeric[]) WITH ORDINALITY AS a(lot_id, points, seq)
  ), lots AS (
    UPDATE lot SET remaining = lot.remaining - alloc.points FROM alloc WHERE lot.id = alloc.lot_id
  ), allocations AS (
    INSERT INTO redemption_allocation (redemption_id, lot_id, seq, points)
    SELECT $1, lot_id, seq, points FROM alloc
  ), ledger AS (
    INSERT INTO ledger_entry (org_id, wallet_id, kind, amount, balance_after, redemption_id,
                              actor_type, actor_id, request_id, created_at)
    VALUES ($4, $5, 'REDEMPTION', -$6::numeric, $7, $1, 'till', $8, $9, $10)
  )
  UPDATE wallet SET balance = $7, redeemed = redeemed + $6::numeric, updated_at = $10 WHERE id = $5`;

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
      } = await client.query(LOCK_WALLET, [p.programId, customerId]);
      if (!wallet) throw new Outcome('no_wallet');
      const balance = toMilli(wallet.balance);
      const { rows: lots } = await client.query(OPEN_LOTS, [wallet.id]);
      if (points > balance) throw new Outcome('insufficient');
      const allocations = allocate(lots, points);
      if (!allocations) throw new Error(`wallet ${wallet.id}: balance and lots disagree`);
      const requestId = randomUUID();
      const {
        rows: [redemption],
      } = await client.query(INSERT_REDEMPTION, [
        wallet.org_id,
        randomCode(),
        wallet.id,
        p.programId,
        customerId,
        p.points,
        `raw-${ern}`,
        ern,
        now,
        p.tillId,
        requestId,
      ]);
      if (!redemption) throw new Outcome('duplicate_reference');
      await client.query(APPLY_SPEND, [
        redemption.id,
        allocations.map((a) => a.lotId),
        allocations.map((a) => a.points),
        wallet.org_id,
        wallet.id,
        p.points,
        fromMilli(balance - points),
        p.tillId,
        requestId,
        now,
      ]);
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
