/**
 * `npm run bench:profile`: where the service's CPU goes on a redemption. Runs the service
 * as `npm start` does, with `--cpu-prof`, through BENCH_PROFILE_REQUESTS spread/16
 * redemptions after a warm-up (the same load as `npm run bench`'s service runs), then reads
 * the profile: CPU per redemption by package or source file (self time), the heaviest
 * functions, and the time spent under the service's own functions (inclusive). Writes
 * bench/results/profile.json; the raw .cpuprofile stays in a temporary folder, named at
 * the end, for Chrome's DevTools.
 */
import { mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cleanup } from './lib/cleanup.mjs';
import { provisionDatabase } from './lib/database.mjs';
import { DEMO_TILL } from './lib/fixtures.mjs';
import { processUserSystemMs } from './lib/probes.mjs';
import { seedBench } from './lib/seed.mjs';
import { startService } from './lib/service.mjs';
import { runWorker } from './lib/workers.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
const HTTP_WORKER = fileURLToPath(new URL('workers/http.mjs', import.meta.url));
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const REQUESTS = Number(process.env.BENCH_PROFILE_REQUESTS ?? 20_000);
const WARMUP = Number(process.env.BENCH_SERVICE_WARMUP ?? 5000);
const TOP = 30;

const cleanup = new Cleanup();
cleanup.exitOnSignals();

/** Where a profile node's code lives: a package, a source file of ours, or Node itself. */
function placeOf(url) {
  if (!url) return '(native or V8)';
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1];
  if (path.startsWith('node:')) return `node:${path.slice(5).split('/')[0]}`;
  if (path.includes('/dist/')) return relative(root, path).replace(/^dist\//, '');
  return path;
}

function summarise(profile, redemptions) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totalSamples = profile.samples.length;
  const totalUs = profile.endTime - profile.startTime;
  const usPerSample = totalUs / totalSamples;
  const msPerRedemption = (samples) =>
    Math.round(((samples * usPerSample) / 1000 / redemptions) * 10000) / 10000;
  const selfByPlace = new Map();
  const selfByFunction = new Map();
  const add = (map, key, n) => map.set(key, (map.get(key) ?? 0) + n);
  for (const node of profile.nodes) {
    if (!node.hitCount) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    if (name === '(idle)') continue;
    add(selfByPlace, placeOf(url), node.hitCount);
    add(selfByFunction, `${name} ${placeOf(url)}:${lineNumber + 1}`, node.hitCount);
  }
  // Inclusive time under each of our own functions (recursion counted once per path).
  const inclusive = new Map();
  const parentOf = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  for (const node of profile.nodes) {
    if (!node.hitCount) continue;
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parentOf.get(id)) {
      const { functionName, url, lineNumber } = byId.get(id).callFrame;
      if (!url.includes('/dist/src/')) continue;
      const key = `${functionName || '(anonymous)'} ${placeOf(url)}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(inclusive, key, node.hitCount);
    }
  }
  const busy = [...selfByPlace.values()].reduce((a, b) => a + b, 0);
  const top = (map, n = TOP) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, samples]) => ({ key, msPerRedemption: msPerRedemption(samples) }));
  return {
    busyMsPerRedemption: msPerRedemption(busy),
    byPlace: top(selfByPlace),
    byFunction: top(selfByFunction),
    inclusiveOwn: top(inclusive, 40),
  };
}

async function main() {
  const db = await provisionDatabase(cleanup, () => undefined);
  const setup = await startService({ root, databaseUrl: db.url, cleanup });
  await setup.stop();
  await seedBench(db.url, { customers: CUSTOMERS });
  const profDir = await mkdtemp(join(tmpdir(), 'points-profile-'));
  const service = await startService({ root, databaseUrl: db.url, cleanup, cpuProfDir: profDir });
  const load = (requests, warmup, id) =>
    runWorker(
      HTTP_WORKER,
      {
        baseUrl: service.baseUrl,
        connections: 16,
        requests,
        warmup,
        target: 'spread',
        customers: CUSTOMERS,
        points: 1,
        format: 'json',
        username: DEMO_TILL.username,
        password: DEMO_TILL.password,
        ernPrefix: id,
      },
      cleanup,
    );
  console.log(`warm-up: ${WARMUP} redemptions, then ${REQUESTS} profiled`);
  await load(WARMUP, 0, 'profile-warmup');
  const before = processUserSystemMs(service.pid);
  const result = await load(REQUESTS, 0, 'profile');
  const after = processUserSystemMs(service.pid);
  // The profiler samples on a timer: time the thread spent descheduled inside a system call
  // (a write to a socket that wakes the database) shows up there as that call's. /proc
  // tells the CPU the process really used, in user and in kernel mode.
  const cpu = {
    userMsPerRedemption: Math.round(((after.user - before.user) / REQUESTS) * 1000) / 1000,
    systemMsPerRedemption: Math.round(((after.system - before.system) / REQUESTS) * 1000) / 1000,
  };
  await service.stop();
  const file = (await readdir(profDir)).find((f) => f.endsWith('.cpuprofile'));
  const profile = JSON.parse(await readFile(join(profDir, file), 'utf8'));
  await cleanup.run();
  // The profile covers the warm-up too: per redemption over all that were served.
  const summary = summarise(profile, WARMUP + REQUESTS);
  console.log(
    `\n${result.rps} req/s profiled; CPU per redemption (/proc): ${cpu.userMsPerRedemption} ms user + ${cpu.systemMsPerRedemption} ms system; ${summary.busyMsPerRedemption} ms of samples not idle\n`,
  );
  const print = (title, rows) => {
    console.log(title);
    for (const r of rows) console.log(`  ${r.msPerRedemption.toFixed(4)} ms  ${r.key}`);
    console.log('');
  };
  print('self time by place (ms per redemption):', summary.byPlace);
  print('self time by function:', summary.byFunction);
  print("inclusive time under the service's own functions:", summary.inclusiveOwn);
  await mkdir(resultsDir, { recursive: true });
  await writeFile(
    join(resultsDir, 'profile.json'),
    `${JSON.stringify({ date: new Date().toISOString(), requests: REQUESTS, warmup: WARMUP, rps: result.rps, cpu, ...summary }, null, 2)}\n`,
  );
  console.log(`profile: ${join(profDir, file)}`);
}

main().catch(async (err) => {
  console.error(`\nprofile failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
  await cleanup.run();
  process.exit(1);
});
