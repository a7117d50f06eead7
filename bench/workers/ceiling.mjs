/**
 * The physical ceiling (bench/ceiling/): pgbench running the minimal redemption transaction
 * on the minimal schema, in the schema `ceiling` of the bench database, spread over the same
 * number of wallets or all on wallet 1. No service, no driver of ours: what one redemption
 * can cost on this Postgres at the least.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveWorker } from '../lib/workers.mjs';

const REDEMPTION = fileURLToPath(new URL('../ceiling/redemption.sql', import.meta.url));

const pgbench = (args, env) =>
  new Promise((resolve, reject) =>
    execFile('pgbench', args, { env, maxBuffer: 1 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`pgbench: ${stderr || err.message}`)) : resolve(stdout + stderr),
    ),
  );

async function run(p, warm) {
  const script = join(tmpdir(), `ceiling-${process.pid}.sql`);
  const pick = p.target === 'hot' ? '\\set aid 1' : `\\set aid random(1, ${p.customers})`;
  writeFileSync(script, `${pick}\n${readFileSync(REDEMPTION, 'utf8')}`);
  const env = { ...process.env, PGOPTIONS: '-c search_path=ceiling' };
  const args = (seconds) => [
    ...['-n', '-M', 'prepared', '-c', String(p.connections), '-j', '2'],
    ...['-T', String(seconds), '-f', script, p.databaseUrl],
  ];
  try {
    await pgbench(args(p.warmupSeconds), env);
    await warm();
    const out = await pgbench(args(p.seconds), env);
    const tps = Number(/^tps = ([0-9.]+)/m.exec(out)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
    const latency = Number(/latency average = ([0-9.]+) ms/.exec(out)?.[1]);
    if (!Number.isFinite(tps)) throw new Error(`no tps in pgbench output:\n${out}`);
    const completed = Math.round(tps * p.seconds);
    return {
      rps: Math.round(tps * 10) / 10,
      p50: Number.isFinite(latency) ? latency : null,
      p90: null,
      p99: null,
      max: null,
      completed,
      ok: completed,
      errors: failed,
      otherCodes: {},
      clientCpuMs: 0,
    };
  } finally {
    rmSync(script, { force: true });
  }
}

serveWorker(run);
