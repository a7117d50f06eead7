/**
 * `npm run bench:anatomy`: where the database's cost of one redemption goes. pgbench runs
 * the service's own redemption transaction (its statement texts, loaded from dist/) on the
 * real schema, seeded as `npm run bench` seeds it, spread over the same wallets; then the
 * same again with one schema feature taken away at a time (each foreign key, each secondary
 * index of the tables a redemption writes, their CHECK constraints, the per-transaction SET,
 * the lots round trip),
 * each variant measured right after a baseline run of its own. Prints throughput and
 * database CPU per redemption per variant, against the minimal transaction of
 * bench/ceiling/, and writes bench/results/anatomy.json.
 *
 * BENCH_ANATOMY_ONLY=<text> keeps the variants whose label contains it, BENCH_ANATOMY_PAIRS (3)
 * sets the pairs per variant.
 *
 * Nothing here changes the service: the variants are measured on the bench's own scratch
 * database, and every dropped feature is put back before the next.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cleanup } from './lib/cleanup.mjs';
import { provisionDatabase } from './lib/database.mjs';
import { SPREAD_MOBILE_BASE } from './lib/fixtures.mjs';
import { withClient } from './lib/pg.mjs';
import { postmasterPid, treeCpuMs } from './lib/probes.mjs';
import { seedBench } from './lib/seed.mjs';
import { startService } from './lib/service.mjs';
import { median } from './lib/util.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
const CEILING_SCHEMA = fileURLToPath(new URL('ceiling/schema.sql', import.meta.url));
const CEILING_TX = fileURLToPath(new URL('ceiling/redemption.sql', import.meta.url));
const {
  REDEMPTION_SQL,
  SPEND_SQL,
  CUSTOMER_SQL,
  OPEN_LOTS_ORDER,
} = require('../dist/src/statements.js');

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const SECONDS = Number(process.env.BENCH_ANATOMY_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_ANATOMY_CONNECTIONS ?? 16);
/** The tables one redemption writes, and the one it locks. */
const TABLES = ['wallet', 'lot', 'redemption', 'redemption_allocation', 'ledger_entry'];

const cleanup = new Cleanup();
cleanup.exitOnSignals();
const started = Date.now();
const step = (text) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${text}`);

/** A statement of the service with its $n parameters replaced by pgbench expressions. */
function bind(text, params) {
  return text
    .replace(/\$(\d+)/g, (_, n) => {
      const value = params[Number(n)];
      if (value === undefined) throw new Error(`no value for $${n}`);
      return value;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** The service's redemption transaction as a pgbench script (one line per statement). */
function serviceScript({ orgId, programId, tillId }, { setLockTimeout = true, lots = true }) {
  const lock = bind(CUSTOMER_SQL.findLockingWallet('c.mobile = $2'), {
    1: String(orgId),
    2: `(${SPREAD_MOBILE_BASE} + :n)::text`,
    3: String(programId),
  });
  const lotsAndReference = bind(REDEMPTION_SQL.lotsAndReference, {
    1: ':wallet_id',
    2: String(orgId),
    3: ERN,
  });
  // Without the round trip, the lot is found by the redeem statement itself (a variant).
  const lotId = lots
    ? ':id'
    : `(SELECT id FROM lot WHERE wallet_id = :wallet_id AND is_open ${OPEN_LOTS_ORDER} LIMIT 1)`;
  const redeem = bind(SPEND_SQL, {
    1: String(orgId),
    // Six letters or digits, unique: the service draws them at random and retries the rare
    // collision, which pgbench cannot; a sequence in base 62 stands in.
    2: 'anatomy_code()',
    3: ':wallet_id',
    4: String(programId),
    5: ':id_c',
    6: 'NULL',
    7: '1',
    8: '1',
    9: `'bill'`,
    10: ERN,
    11: `''`,
    12: `'NONE'`,
    13: 'now()',
    14: `''`,
    15: `''`,
    16: `'[]'`,
    17: String(tillId),
    18: `'anatomy'`,
    19: 'now()',
    20: `ARRAY[${lotId}]`,
    21: 'ARRAY[1]',
    22: 'CAST(:wallet_balance AS numeric) - 1',
    23: `'till'`,
  });
  return [
    `\\set n random(1, ${CUSTOMERS})`,
    '\\set e1 random(1, 2000000000)',
    '\\set e2 random(1, 2000000000)',
    'BEGIN;',
    ...(setLockTimeout ? ['SET LOCAL lock_timeout = 5000;'] : []),
    // pgbench's \gset needs distinct column names: the customer's id becomes id_c.
    `${lock.replace('SELECT c.id,', 'SELECT c.id AS id_c,')} \\gset`,
    ...(lots ? [`${lotsAndReference} \\gset`] : []),
    `${redeem};`,
    'COMMIT;',
  ].join('\n');
}

function pgbench(url, scriptText, env = process.env) {
  const script = join(tmpdir(), `anatomy-${process.pid}.sql`);
  writeFileSync(script, `${scriptText}\n`);
  const args = [
    ...['-n', '-M', 'prepared', '-c', String(CONNECTIONS), '-j', '2'],
    ...['-T', String(SECONDS), '-f', script, url],
  ];
  return new Promise((resolve, reject) =>
    execFile('pgbench', args, { env, maxBuffer: 1 << 22 }, (err, stdout, stderr) => {
      rmSync(script, { force: true });
      if (err) return reject(new Error(`pgbench: ${stderr || err.message}`));
      const out = stdout + stderr;
      const tps = Number(/^tps = ([0-9.]+)/m.exec(out)?.[1]);
      const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
      if (!Number.isFinite(tps)) return reject(new Error(`no tps in pgbench output:\n${out}`));
      resolve({ tps, failed });
    }),
  );
}

/**
 * A new external reference number per transaction, built from pgbench's variables only: a
 * volatile expression (random()) would keep the reference check off its index.
 */
const ERN = `'anatomy-' || :e1 || '-' || :e2`;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const round3 = (x) => Math.round(x * 1000) / 1000;
const PAIRS = Number(process.env.BENCH_ANATOMY_PAIRS ?? 3);

const lineText = (r) =>
  `${r.label} | ${r.tpsVsBaseline}× (${r.tps} vs ${r.baseline.tps}) | ${r.dbCpuMs} (${r.baseline.dbCpuMs}) | ${r.dbCpuSavedMs}`;

async function main() {
  if (!CUSTOMER_SQL) throw new Error('dist/ is stale: run `npm run build`');
  step(process.env.DATABASE_URL ? 'creating the bench database' : 'starting embedded PostgreSQL');
  const db = await provisionDatabase(cleanup, () => undefined);
  step('migrations and demo seed (service start), bench data');
  const setup = await startService({ root, databaseUrl: db.url, cleanup });
  await setup.stop();
  const fixture = await seedBench(db.url, { customers: CUSTOMERS });
  const psql = (sql, env = process.env) =>
    execFileSync('psql', [db.url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  psql('CREATE SCHEMA ceiling');
  psql(`CREATE SEQUENCE anatomy_seq START 1000000000;
    CREATE FUNCTION anatomy_code() RETURNS text LANGUAGE sql AS $$
      SELECT string_agg(substr('${ALPHANUMERIC}', ((n / power(62, k)::bigint) % 62)::int + 1, 1), '' ORDER BY k)
        FROM (SELECT nextval('anatomy_seq') AS n) s, generate_series(0, 5) k
    $$`);
  const ceilingEnv = { ...process.env, PGOPTIONS: '-c search_path=ceiling' };
  execFileSync('psql', [db.url, '-q', '-v', `customers=${CUSTOMERS}`, '-f', CEILING_SCHEMA], {
    env: ceilingEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  const pgPid = await withClient(db.url, (c) => postmasterPid(c));
  const measure = async (label, script, env) => {
    await withClient(db.url, (c) =>
      c.query('VACUUM (ANALYZE) wallet, lot, redemption, redemption_allocation, ledger_entry'),
    );
    const cpuBefore = pgPid ? treeCpuMs(pgPid) : null;
    const { tps, failed } = await pgbench(db.url, script, env);
    const cpu = pgPid ? treeCpuMs(pgPid) - cpuBefore : null;
    const tx = tps * SECONDS;
    return { label, tps: Math.round(tps), failed, dbCpuMs: cpu === null ? null : round3(cpu / tx) };
  };

  /** The written tables' constraints of one type ('f' foreign keys, 'c' CHECKs), as SQL. */
  const constraintsOf = async (c, type) =>
    (
      await c.query(
        `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
           FROM pg_constraint WHERE contype = $2 AND conrelid::regclass::text = ANY($1)
          ORDER BY 1, 2`,
        [TABLES, type],
      )
    ).rows;
  const base = serviceScript(fixture, {});
  const variants = [];
  // Schema features: each foreign key and secondary index of the written tables.
  const { fks, indexes, checks } = await withClient(db.url, async (c) => ({
    fks: await constraintsOf(c, 'f'),
    indexes: (
      await c.query(
        `SELECT i.indrelid::regclass::text AS tbl, i.indexrelid::regclass::text AS name,
                pg_get_indexdef(i.indexrelid) AS def, con.conname
           FROM pg_index i LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid
          WHERE i.indrelid::regclass::text = ANY($1) AND NOT i.indisprimary
            -- The arbiter of the redeem's ON CONFLICT: the statement cannot run without it.
            AND i.indexrelid::regclass::text <> 'redemption_external_ref'
          ORDER BY 1, 2`,
        [TABLES],
      )
    ).rows,
    checks: await constraintsOf(c, 'c'),
  }));
  const dropFk = (fk) => `ALTER TABLE ${fk.tbl} DROP CONSTRAINT ${fk.conname}`;
  const addFk = (fk) => `ALTER TABLE ${fk.tbl} ADD CONSTRAINT ${fk.conname} ${fk.def}`;
  const withoutFks = (label, pick) => {
    const chosen = fks.filter(pick);
    if (chosen.length === 0) return;
    variants.push({
      label: `${label}: ${chosen.map((fk) => `${fk.tbl}.${fk.def.replace(/^FOREIGN KEY /, '')}`).join(', ')}`,
      drop: chosen.map(dropFk).join('; '),
      restore: chosen.map(addFk).join('; '),
    });
  };
  // Parents every redemption shares (one org, program and till row for all): each check
  // takes FOR KEY SHARE on the same row, which concurrent holders turn into multixacts.
  const SHARED = /REFERENCES (org|program|app_user)\(/;
  withoutFks('without the FKs to shared rows', (fk) => SHARED.test(fk.def));
  withoutFks(
    'without the FKs to per-redemption rows',
    (fk) => !SHARED.test(fk.def) && fk.tbl !== 'wallet' && fk.tbl !== 'lot',
  );
  withoutFks('without every FK of the written tables', () => true);
  for (const ix of indexes) {
    variants.push({
      label: `without index ${ix.name}${ix.conname ? ' (unique constraint)' : ''}`,
      drop: ix.conname
        ? `ALTER TABLE ${ix.tbl} DROP CONSTRAINT ${ix.conname}`
        : `DROP INDEX ${ix.name}`,
      restore: ix.conname
        ? `ALTER TABLE ${ix.tbl} ADD CONSTRAINT ${ix.conname} UNIQUE USING INDEX ${ix.name}`
        : ix.def,
      restoreFirst: ix.conname ? ix.def : null,
    });
  }
  // Every statement that writes a table reads each of its CHECK constraints from their
  // stored form and plans them before its first row (PostgreSQL's ExecRelCheck).
  if (checks.length > 0) {
    variants.push({
      label: `without the ${checks.length} CHECK constraints of the written tables`,
      drop: checks.map((ck) => `ALTER TABLE ${ck.tbl} DROP CONSTRAINT ${ck.conname}`).join('; '),
      restore: checks
        .map((ck) => `ALTER TABLE ${ck.tbl} ADD CONSTRAINT ${ck.conname} ${ck.def}`)
        .join('; '),
    });
  }
  variants.push({
    label: 'without SET LOCAL lock_timeout',
    script: serviceScript(fixture, { setLockTimeout: false }),
  });
  variants.push({
    label: 'without the lots round trip (lot found in the redeem)',
    script: serviceScript(fixture, { lots: false }),
  });

  // BENCH_ANATOMY_ONLY=<text>: only the variants whose label contains it (a closer look).
  const only = process.env.BENCH_ANATOMY_ONLY ?? '';

  const results = [];
  step(`ceiling (minimal transaction) spread/${CONNECTIONS}`);
  const ceiling = await measure(
    'ceiling: minimal transaction',
    `\\set aid random(1, ${CUSTOMERS})\n${readFileSync(CEILING_TX, 'utf8')}`,
    ceilingEnv,
  );
  results.push(ceiling);
  for (const v of variants.filter((variant) => variant.label.includes(only))) {
    step(v.label);
    // Baseline and variant back to back, PAIRS times, alternating which goes first: the
    // machine drifts (checkpoints, the tables growing) and both sides should feel it alike.
    const pairs = [];
    for (let i = 0; i < PAIRS; i++) {
      const runVariant = async () => {
        if (v.drop) psql(v.drop);
        try {
          return await measure(v.label, v.script ?? base);
        } finally {
          if (v.restoreFirst) psql(v.restoreFirst);
          if (v.restore) psql(v.restore);
        }
      };
      const runBaseline = () => measure('baseline', base);
      if (i % 2 === 0) {
        const baseline = await runBaseline();
        pairs.push({ baseline, run: await runVariant() });
      } else {
        const run = await runVariant();
        pairs.push({ baseline: await runBaseline(), run });
      }
    }
    const med = (pick) => median(pairs.map(pick));
    const line = {
      label: v.label,
      tps: Math.round(med((p) => p.run.tps)),
      dbCpuMs: med((p) => p.run.dbCpuMs),
      failed: pairs.reduce((n, p) => n + p.run.failed, 0),
      baseline: {
        tps: Math.round(med((p) => p.baseline.tps)),
        dbCpuMs: med((p) => p.baseline.dbCpuMs),
      },
      tpsVsBaseline: round3(med((p) => p.run.tps / p.baseline.tps)),
      dbCpuSavedMs: round3(med((p) => p.baseline.dbCpuMs - p.run.dbCpuMs)),
    };
    results.push(line);
    step(`  ${lineText(line)}`);
  }
  await cleanup.run();

  console.log('');
  console.log(
    `ceiling: ${ceiling.tps} tx/s, ${ceiling.dbCpuMs} ms database CPU per transaction (spread/${CONNECTIONS}, ${SECONDS} s runs)`,
  );
  console.log('variant | tx/s vs its baseline | DB CPU ms/tx (baseline) | saved ms');
  for (const r of results.slice(1)) console.log(lineText(r));
  await mkdir(resultsDir, { recursive: true });
  await writeFile(
    join(resultsDir, 'anatomy.json'),
    `${JSON.stringify({ date: new Date().toISOString(), customers: CUSTOMERS, seconds: SECONDS, connections: CONNECTIONS, ceiling, variants: results.slice(1) }, null, 2)}\n`,
  );
}

main().catch(async (err) => {
  console.error(`\nanatomy failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
  await cleanup.run();
  process.exit(1);
});
