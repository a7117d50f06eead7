/**
 * `npm run bench:ab -- <other checkout>`: this build of the service against another one (a
 * checkout of another commit, built with `npm run build`), both serving the same bench
 * database, measured in alternating rounds (A first in odd rounds, B first in even ones) so
 * that the machine's drift weighs on both alike. A is the other checkout, B this one. Prints
 * each round and the median of B/A. BENCH_AB_TARGET=spread|hot (spread), BENCH_AB_ROUNDS (6).
 * Not a run of record: for deciding between two versions of a change.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cleanup } from './lib/cleanup.mjs';
import { provisionDatabase } from './lib/database.mjs';
import { DEMO_TILL } from './lib/fixtures.mjs';
import { createProbes } from './lib/probes.mjs';
import { seedBench } from './lib/seed.mjs';
import { startService } from './lib/service.mjs';
import { median } from './lib/util.mjs';
import { runWorker } from './lib/workers.mjs';

const HTTP_WORKER = fileURLToPath(new URL('workers/http.mjs', import.meta.url));
const CUSTOMERS = 10_000;
const CONNECTIONS = 16;

const other = process.argv[2];
if (!other || !existsSync(resolve(other, 'dist/src/main.js'))) {
  console.error('usage: npm run bench:ab -- <checkout of another commit, built>');
  process.exit(2);
}
const roots = { A: resolve(other), B: fileURLToPath(new URL('..', import.meta.url)) };
const target = process.env.BENCH_AB_TARGET ?? 'spread';
const rounds = Number(process.env.BENCH_AB_ROUNDS ?? 6);

const cleanup = new Cleanup();
cleanup.exitOnSignals();
try {
  const db = await provisionDatabase(cleanup, () => undefined);
  // B's migrations; the bench data is the same for both.
  const setup = await startService({ root: roots.B, databaseUrl: db.url, cleanup });
  await setup.stop();
  await seedBench(db.url, { customers: CUSTOMERS });
  const probes = await createProbes(db.url, { statements: false });
  cleanup.add('probe connection', () => probes.close());
  const services = {
    A: await startService({ root: roots.A, databaseUrl: db.url, cleanup }),
    B: await startService({ root: roots.B, databaseUrl: db.url, cleanup }),
  };

  const measure = async (key, id, requests, warmup) => {
    const service = services[key];
    await probes.settle(CONNECTIONS);
    let start;
    const params = {
      baseUrl: service.baseUrl,
      connections: CONNECTIONS,
      requests,
      warmup,
      target,
      customers: CUSTOMERS,
      points: 1,
      format: 'json',
      username: DEMO_TILL.username,
      password: DEMO_TILL.password,
      ernPrefix: `ab-${id}`,
    };
    const result = await runWorker(HTTP_WORKER, params, cleanup, async () => {
      start = await probes.before(service.pid);
    });
    return { ...result, ...(await probes.after(start, service.pid, result.completed)) };
  };

  // A fresh process runs in V8's unoptimised tiers for its first few thousand requests.
  for (const key of ['A', 'B']) await measure(key, `warm-${key}`, 5000, 0);
  const runs = { A: [], B: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const key of round % 2 === 1 ? ['A', 'B'] : ['B', 'A']) {
      const run = await measure(key, `${round}-${key}`, 3000, 200);
      runs[key].push(run);
      console.log(
        `round ${round} ${key}: ${run.rps.toFixed(0)} req/s, p99 ${run.p99.toFixed(1)} ms, ` +
          `CPU ms/req: service ${run.cpuMsPerRequest.service}, ` +
          `database ${run.cpuMsPerRequest.database}; errors ${run.errors}`,
      );
    }
  }
  const ratios = runs.B.map((b, i) => b.rps / runs.A[i].rps);
  console.log(
    `${target}/${CONNECTIONS}, B (this build) / A (${roots.A}): ` +
      `${ratios.map((r) => r.toFixed(2)).join(', ')}; median ${median(ratios).toFixed(2)}×`,
  );
} finally {
  await cleanup.run();
}
