/**
 * `npm run bench`: redemption throughput and latency of the service against the same
 * transaction issued straight from `pg`, XML redemptions against JSON ones, the cost of
 * authentication with and without the credential cache and of metrics, and the service's
 * peak memory. Writes bench/results/latest.json and
 * bench/results/latest.svg. See docs/performance.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cleanup } from './lib/cleanup.mjs';
import { provisionDatabase } from './lib/database.mjs';
import { CHEAP_TILL, DEMO_ADMIN, DEMO_TILL } from './lib/fixtures.mjs';
import { createProbes } from './lib/probes.mjs';
import { printStatements, printTable, printTargets, renderSvg } from './lib/report.mjs';
import { checkIntegrity, seedBench } from './lib/seed.mjs';
import { startService } from './lib/service.mjs';
import { median, pairedRatio, sleep } from './lib/util.mjs';
import { withClient } from './lib/pg.mjs';
import { adminCall, startWebhookSink } from './lib/webhook-sink.mjs';
import { runWorker } from './lib/workers.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
const RAW_WORKER = fileURLToPath(new URL('workers/raw.mjs', import.meta.url));
const HTTP_WORKER = fileURLToPath(new URL('workers/http.mjs', import.meta.url));
const CEILING_WORKER = fileURLToPath(new URL('workers/ceiling.mjs', import.meta.url));
const CEILING_SCHEMA = fileURLToPath(new URL('ceiling/schema.sql', import.meta.url));

function intFromEnv(name, fallback, min = 1) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer ≥ ${min}`);
  return value;
}

const settings = {
  customers: intFromEnv('BENCH_CUSTOMERS', 10_000),
  requestsPerScenario: intFromEnv('BENCH_REQUESTS', 3000, 64),
  rounds: intFromEnv('BENCH_ROUNDS', 5),
  authPairs: intFromEnv('BENCH_AUTH_PAIRS', 3),
  authRounds: intFromEnv('BENCH_AUTH_ROUNDS', 4),
  metricsPairs: intFromEnv('BENCH_METRICS_PAIRS', 2),
  metricsRounds: intFromEnv('BENCH_METRICS_ROUNDS', 4),
  serviceWarmup: intFromEnv('BENCH_SERVICE_WARMUP', 5000, 0),
  slowAuthRequests: intFromEnv('BENCH_SLOW_REQUESTS', 300, 16),
  warmup: intFromEnv('BENCH_WARMUP', 200, 64),
  pointsPerRequest: '1',
  dbPoolSize: intFromEnv('DB_POOL_SIZE', 10),
  lockTimeoutMs: intFromEnv('LOCK_TIMEOUT_MS', 5000),
  ceilingSeconds: intFromEnv('BENCH_CEILING_SECONDS', 8),
};
/**
 * BENCH_ONLY=ceiling: a quick run of the shapes measured against the physical ceiling
 * (spread/16, hot/16) and nothing else, for working on them; not a run of record.
 */
const ONLY_CEILING = process.env.BENCH_ONLY === 'ceiling';
const SHAPES = [
  ['spread', 16],
  ['spread', 64],
  ['hot', 16],
  ['hot', 64],
].filter(([, connections]) => !ONLY_CEILING || connections === 16);
const TARGETS = {
  serviceVsRaw: 0.5,
  hotP99VsRaw: 3,
  cachedVsCheapHash: 0.9,
  metricsOnVsOff: 0.95,
  xmlVsJson: 0.8,
  webhooksOnVsOff: 0.9,
  // The physical ceiling (pgbench, bench/ceiling/): the performance work's targets.
  spreadVsCeiling: 0.35,
  hotVsCeiling: 0.5,
  peakRssMb: 250,
};

const cleanup = new Cleanup();
cleanup.exitOnSignals();
const pgLog = [];
const started = Date.now();
const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);
const step = (text) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${text}`);

/** " [round 2/5]" in progress lines; round 0 is a warm-up, outside the rounds. */
const roundTag = (round, rounds = settings.rounds) =>
  rounds > 1 && round > 0 ? ` [round ${round}/${rounds}]` : '';

let probes;

/** One measured part in a worker, with the readings of `probes` around it. */
async function measure(file, params, servicePid) {
  // Connections the scenario opens: the worker's own, or the service's pool.
  await probes.settle(servicePid ? settings.dbPoolSize : params.connections);
  let start;
  const result = await runWorker(file, params, cleanup, async () => {
    start = await probes.before(servicePid);
  });
  return { ...result, ...(await probes.after(start, servicePid, result.completed)) };
}

async function measureHttp(
  service,
  id,
  label,
  { target, connections, till, requests, warmup, format = 'json' },
  round = 0,
  rounds = settings.rounds,
) {
  step(`${label}${roundTag(round, rounds)}`);
  service.startSampling();
  try {
    const params = {
      baseUrl: service.baseUrl,
      connections,
      requests,
      warmup,
      target,
      customers: settings.customers,
      points: Number(settings.pointsPerRequest),
      format,
      username: till.username,
      password: till.password,
      // Unique per run: every request's external_reference_number is new.
      ernPrefix: `${id}-r${round}`,
    };
    const result = await measure(HTTP_WORKER, params, service.pid);
    return { id, label, kind: 'service', target, connections, requests, ...result };
  } finally {
    service.stopSampling();
  }
}

async function measureRaw(databaseUrl, fixture, target, connections, round) {
  const id = `raw-${target}-${connections}`;
  const label = `raw ${target} ${connections}`;
  step(`${label}${roundTag(round)}`);
  const params = {
    databaseUrl,
    connections,
    requests: settings.requestsPerScenario,
    warmup: settings.warmup,
    target,
    ...fixture,
    customers: settings.customers,
    points: settings.pointsPerRequest,
    lockTimeoutMs: settings.lockTimeoutMs,
    ernPrefix: `${id}-r${round}`,
  };
  const result = await measure(RAW_WORKER, params, undefined);
  return { id, label, kind: 'raw', target, connections, requests: params.requests, ...result };
}

/** pgbench and psql on the PATH: the ceiling runs only where they are. */
function haveCeilingTools() {
  try {
    execFileSync('pgbench', ['--version'], { stdio: 'ignore' });
    execFileSync('psql', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The ceiling's minimal schema, in the schema `ceiling` of the bench database. */
function createCeilingSchema(databaseUrl) {
  const psql = (args, env = process.env) =>
    execFileSync('psql', [databaseUrl, '-q', '-v', 'ON_ERROR_STOP=1', ...args], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  psql(['-c', 'CREATE SCHEMA IF NOT EXISTS ceiling']);
  psql(['-v', `customers=${settings.customers}`, '-f', CEILING_SCHEMA], {
    ...process.env,
    PGOPTIONS: '-c search_path=ceiling',
  });
}

async function measureCeiling(databaseUrl, target, connections, round) {
  const id = `ceiling-${target}-${connections}`;
  const label = `ceiling ${target} ${connections} (pgbench)`;
  step(`${label}${roundTag(round)}`);
  const params = {
    databaseUrl,
    target,
    connections,
    customers: settings.customers,
    seconds: settings.ceilingSeconds,
    warmupSeconds: 1,
  };
  const result = await measure(CEILING_WORKER, params, undefined);
  return { id, label, kind: 'ceiling', target, connections, requests: result.completed, ...result };
}

const round2 = (x) => Math.round(x * 100) / 100;
const codeCount = (codes) => Object.values(codes ?? {}).reduce((a, b) => a + b, 0);

function addCodes(into, codes) {
  for (const [code, n] of Object.entries(codes ?? {})) into[code] = (into[code] ?? 0) + n;
  return into;
}

/**
 * One scenario's runs (one per round) as one record: the median of each figure, the sums
 * of the counts, and the runs themselves.
 */
function combine(runs) {
  const [first] = runs;
  const med = (pick) => median(runs.map(pick));
  const cpu = {};
  for (const key of Object.keys(first.cpuMsPerRequest ?? {})) {
    cpu[key] = med((r) => r.cpuMsPerRequest?.[key]);
  }
  return {
    id: first.id,
    label: first.label,
    kind: first.kind,
    target: first.target,
    connections: first.connections,
    requests: first.requests,
    rounds: runs.length,
    completed: runs.reduce((sum, r) => sum + r.completed, 0),
    rps: med((r) => r.rps),
    p50: med((r) => r.p50),
    p90: med((r) => r.p90),
    p99: med((r) => r.p99),
    max: Math.max(...runs.map((r) => r.max ?? 0)),
    ok: runs.reduce((sum, r) => sum + (r.ok ?? 0), 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    otherCodes: runs.reduce((codes, r) => addCodes(codes, r.otherCodes), {}),
    clientCpuMs: runs.reduce((sum, r) => sum + r.clientCpuMs, 0),
    cpuMsPerRequest: cpu,
    ...(first.statements ? { statements: first.statements } : {}),
    runs: runs.map(({ id: _id, label: _label, statements: _statements, ...run }) => run),
  };
}

const rangeText = (r) => (r.ratios.length > 1 ? ` (rounds ${r.ratios.join(', ')})` : '');

function evaluate(byId, memory, integrity) {
  const targets = [];
  for (const [target, connections] of [
    ['spread', 16],
    ['hot', 16],
    ['hot', 64],
  ]) {
    const raw = byId.get(`raw-${target}-${connections}`);
    const svc = byId.get(`service-${target}-${connections}`);
    if (!svc) continue;
    const ratio = svc.vsRaw;
    const others = codeCount(svc.otherCodes);
    const checks = [ratio.median >= TARGETS.serviceVsRaw, svc.errors === 0];
    let measured = `${ratio.median}× raw${rangeText(ratio)}, median ${svc.rps} vs ${raw.rps} req/s, ${svc.errors} errors`;
    let name = `${target}/${connections}: service ≥ ${TARGETS.serviceVsRaw}× raw, zero errors`;
    if (target === 'spread') {
      checks.push(others === 0);
      measured += `, ${others} item codes other than 800`;
    } else {
      const p99 = svc.p99VsRaw;
      checks.push(p99.median <= TARGETS.hotP99VsRaw);
      name += `, p99 ≤ ${TARGETS.hotP99VsRaw}× raw p99`;
      measured += `, p99 ${p99.median}× raw's${rangeText(p99)}`;
    }
    targets.push({ name, measured, pass: checks.every(Boolean) });
  }
  const xml = byId.get('xml-spread-16');
  if (xml)
    targets.push({
      name: `XML: redeem in XML ≥ ${TARGETS.xmlVsJson}× the same in JSON (spread 16), zero errors`,
      measured: `${xml.vsJson.median}×${rangeText(xml.vsJson)}, median ${xml.rps} vs ${byId.get('json-spread-16').rps} req/s, ${xml.errors} errors, ${codeCount(xml.otherCodes)} item codes other than 800`,
      pass:
        xml.vsJson.median >= TARGETS.xmlVsJson &&
        xml.errors === 0 &&
        codeCount(xml.otherCodes) === 0,
    });
  const hooks = byId.get('webhooks-on');
  if (hooks)
    targets.push({
      name: `events: redeem with one webhook endpoint ≥ ${TARGETS.webhooksOnVsOff}× without (spread 16), zero errors`,
      measured: `${hooks.vsOff.median}×${rangeText(hooks.vsOff)}, median ${hooks.rps} vs ${byId.get('webhooks-off').rps} req/s, ${hooks.errors} errors, ${hooks.delivered} deliveries received`,
      pass: hooks.vsOff.median >= TARGETS.webhooksOnVsOff && hooks.errors === 0,
    });
  for (const [target, goal] of [
    ['spread', TARGETS.spreadVsCeiling],
    ['hot', TARGETS.hotVsCeiling],
  ]) {
    const ceiling = byId.get(`ceiling-${target}-16`);
    if (!ceiling) continue;
    const svc = byId.get(`service-${target}-16`);
    const cpu = (s) => s.cpuMsPerRequest ?? {};
    targets.push({
      name: `${target}/16: service ≥ ${goal}× the physical ceiling (pgbench)`,
      measured: `${svc.vsCeiling.median}×${rangeText(svc.vsCeiling)}, median ${svc.rps} vs ${ceiling.rps} tx/s; database CPU per redemption ${cpu(svc).database} ms vs ${cpu(ceiling).database} ms, service CPU ${cpu(svc).service} ms; ${ceiling.errors} pgbench failures`,
      pass: svc.vsCeiling.median >= goal && ceiling.errors === 0,
    });
  }
  if (ONLY_CEILING) return targets;
  const metricsCost = byId.get('metrics-on').vsOff;
  targets.push({
    name: `metrics: with metrics ≥ ${TARGETS.metricsOnVsOff}× without (cost ≤ ${Math.round((1 - TARGETS.metricsOnVsOff) * 100)}%)`,
    measured: `${metricsCost.median}×${rangeText(metricsCost)}`,
    pass: metricsCost.median >= TARGETS.metricsOnVsOff,
  });
  const auth = byId.get('auth-cached').vsCheapHash;
  targets.push({
    name: `auth: cached ≥ ${TARGETS.cachedVsCheapHash}× the cheap-hash baseline`,
    measured: `${auth.median}×${rangeText(auth)}`,
    pass: auth.median >= TARGETS.cachedVsCheapHash,
  });
  targets.push({
    name: `memory: peak RSS ≤ ${TARGETS.peakRssMb} MB`,
    measured: `${memory.peakRssMb} MB`,
    pass: memory.peakRssMb !== null && memory.peakRssMb <= TARGETS.peakRssMb,
  });
  targets.push({
    name: 'consistency: balance = sum(ledger) = sum(open lots), redeemed = sum(redemptions)',
    measured: `${integrity.inconsistent} of ${integrity.wallets} wallets inconsistent, ${integrity.redemptions} redemptions`,
    pass: integrity.inconsistent === 0,
  });
  return targets;
}

async function main() {
  if (!existsSync(new URL('../dist/src/main.js', import.meta.url))) {
    throw new Error('dist/src/main.js is missing: run `npm run build` (npm run bench does)');
  }
  const cpuProfDir = process.env.BENCH_CPU_PROF ? resultsDir : undefined;
  await mkdir(resultsDir, { recursive: true });

  step(process.env.DATABASE_URL ? 'creating the bench database' : 'starting embedded PostgreSQL');
  const countStatements = process.env.BENCH_PG_STAT_STATEMENTS === '1';
  const db = await provisionDatabase(
    cleanup,
    (line) => {
      pgLog.push(line);
      if (pgLog.length > 40) pgLog.shift();
    },
    { preload: countStatements ? ['pg_stat_statements'] : [] },
  );
  step(`database: ${db.description}, PostgreSQL ${db.version}`);

  // The service's own start applies the migrations and seeds the demo org; it is stopped
  // again so that the raw scenarios have the machine (and the server's connections) alone.
  step('migrations and demo seed (service start), bench data');
  const setup = await startService({ root, databaseUrl: db.url, cleanup });
  await setup.stop();
  const fixture = await seedBench(db.url, { customers: settings.customers });
  const ceilingOn = haveCeilingTools();
  if (ceilingOn) createCeilingSchema(db.url);
  else step('pgbench or psql not found: the physical ceiling is not measured');
  probes = await createProbes(db.url, { statements: countStatements });
  cleanup.add('probe connection', () => probes.close());

  // Each service instance first serves BENCH_SERVICE_WARMUP requests that are not measured:
  // a fresh process runs its request path in V8's unoptimised tiers for the first few
  // thousand requests, and a production process has long left them. The cold figures are
  // kept in the results (`coldStart`), not compared.
  const coldStart = [];
  const warmUp = async (service, key, name, till) => {
    if (settings.serviceWarmup === 0) return;
    const run = await measureHttp(service, `warmup-${key}`, `warm-up, ${name}`, {
      target: 'spread',
      connections: 16,
      till,
      requests: settings.serviceWarmup,
      warmup: 0,
    });
    coldStart.push({
      instance: name,
      rps: run.rps,
      p50: run.p50,
      p99: run.p99,
      errors: run.errors,
      cpuMsPerRequest: run.cpuMsPerRequest,
    });
  };

  step('starting the service (credential cache on)');
  const service = await startService({
    root,
    databaseUrl: db.url,
    cleanup,
    cpuProfDir,
    // The webhook receiver of the events scenario is on loopback.
    env: { WEBHOOK_ALLOW_PRIVATE: 'true' },
  });
  await warmUp(service, 'scenarios', 'redemption scenarios', DEMO_TILL);

  // Rounds: in each, every shape's raw run and its service run back to back, raw first in
  // odd rounds and the service first in even ones, so that what drifts on a shared machine
  // (other load, autovacuum, the database growing) weighs on both sides of a ratio alike.
  // The figures of record are the medians over the rounds.
  const runs = new Map();
  const keep = (run) => runs.set(run.id, [...(runs.get(run.id) ?? []), run]);
  const pair = async (round, first, second) => {
    for (const measureOne of round % 2 === 1 ? [first, second] : [second, first]) {
      keep(await measureOne());
    }
  };
  for (let round = 1; round <= settings.rounds; round++) {
    for (const [target, connections] of SHAPES) {
      // The physical ceiling in the same round as the shape's raw and service runs.
      if (ceilingOn && connections === 16) {
        keep(await measureCeiling(db.url, target, connections, round));
      }
      await pair(
        round,
        () => measureRaw(db.url, fixture, target, connections, round),
        () =>
          measureHttp(
            service,
            `service-${target}-${connections}`,
            `service ${target} ${connections}`,
            {
              target,
              connections,
              till: DEMO_TILL,
              requests: settings.requestsPerScenario,
              warmup: settings.warmup,
            },
            round,
          ),
      );
    }
  }

  // XML against JSON: the same redemption as the XML clients send it, on the same instance,
  // paired per round like the raw runs.
  const spread16On = (id, label, format) => (round) => () =>
    measureHttp(
      service,
      id,
      label,
      {
        target: 'spread',
        connections: 16,
        till: DEMO_TILL,
        requests: settings.requestsPerScenario,
        warmup: settings.warmup,
        format,
      },
      round,
    );
  const jsonRun = spread16On('json-spread-16', 'JSON redeem (spread 16)', 'json');
  const xmlRun = spread16On('xml-spread-16', 'XML redeem (spread 16)', 'xml');
  for (let round = 1; round <= settings.rounds && !ONLY_CEILING; round++) {
    await pair(round, jsonRun(round), xmlRun(round));
  }

  // Events out: the same redemption with one webhook endpoint subscribed to redemption.created
  // (its event and delivery written in the redemption's statement, delivered to a receiver on
  // loopback) and with it disabled, on the same instance, paired per round. Each run starts
  // with no delivery waiting, so one run's deliveries do not weigh on the next.
  let webhooks;
  if (!ONLY_CEILING) {
    const sink = await startWebhookSink(cleanup);
    const hook = await adminCall(service.baseUrl, DEMO_ADMIN, 'POST', '/admin/webhooks', {
      url: sink.url,
      events: ['redemption.created'],
    });
    const setEnabled = (enabled) =>
      adminCall(service.baseUrl, DEMO_ADMIN, 'PATCH', `/admin/webhooks/${hook.id}`, { enabled });
    const drained = async () => {
      for (let waited = 0; waited < 120_000; waited += 200) {
        const n = await withClient(db.url, async (c) =>
          Number(
            (await c.query(`SELECT count(*) AS n FROM webhook_delivery WHERE status = 'pending'`))
              .rows[0].n,
          ),
        );
        if (n === 0) return;
        await sleep(200);
      }
      throw new Error('webhook deliveries still waiting after 2 minutes');
    };
    const eventsRun = (id, label, enabled) => (round) => async () => {
      await setEnabled(enabled);
      await drained();
      return spread16On(id, label, 'json')(round)();
    };
    const off = eventsRun('webhooks-off', 'redeem, no webhook endpoint (spread 16)', false);
    const on = eventsRun('webhooks-on', 'redeem, one webhook endpoint (spread 16)', true);
    for (let round = 1; round <= settings.rounds; round++) await pair(round, off(round), on(round));
    await drained();
    await setEnabled(false);
    webhooks = { delivered: sink.received() };
  }

  const instances = [{ name: 'redemption scenarios', ...service.memory() }];
  await service.stop();

  // The auth comparison: BENCH_AUTH_PAIRS pairs of new instances, one with the credential
  // cache and one without it (on the cheap-hash till), each pair warmed up alike and measured
  // over BENCH_AUTH_ROUNDS paired rounds. Two processes of different histories differ by
  // more than one cached lookup (so not the instance above, which has served every
  // scenario), and even two identical new processes differ by a few per cent for as long as
  // they run, so one pair would carry its own bias into every round: over several pairs,
  // started in alternating order, that difference is averaged instead of fixed.
  const spread16 = {
    target: 'spread',
    connections: 16,
    requests: settings.requestsPerScenario,
    warmup: settings.warmup,
  };
  // The cached side first: in odd rounds it is measured first (see `pair`).
  const authSides = [
    {
      id: 'auth-cached',
      label: 'auth cached (spread 16)',
      name: 'credential cache on',
      till: DEMO_TILL,
      env: {},
    },
    {
      id: 'auth-nocache-cheap',
      label: 'auth no cache, cheap hash',
      name: 'credential cache off',
      till: CHEAP_TILL,
      env: { AUTH_CACHE_TTL_MS: '0' },
    },
  ];
  // Two kinds of instance compared on fresh pairs of processes (see above), `pairs` pairs of
  // `rounds` paired rounds each; `last(instances)` measures more on the final pair.
  const comparePairs = async (what, sides, pairs, rounds, last) => {
    const total = pairs * rounds;
    for (let p = 1; p <= pairs; p++) {
      step(`${what} pair ${p}/${pairs}`);
      // Started and warmed up in alternating order from pair to pair.
      const order = p % 2 === 1 ? sides : [...sides].reverse();
      const instanceOf = new Map();
      for (const side of order) {
        const instance = await startService({
          root,
          databaseUrl: db.url,
          cleanup,
          cpuProfDir,
          env: side.env,
        });
        instanceOf.set(side, instance);
      }
      for (const side of order) {
        await warmUp(
          instanceOf.get(side),
          `${side.id}-${p}`,
          `${side.name} (pair ${p})`,
          side.till,
        );
      }
      const measureSide = (side, round) => () =>
        measureHttp(
          instanceOf.get(side),
          side.id,
          side.label,
          { ...spread16, till: side.till },
          round,
          total,
        );
      for (let r = 1; r <= rounds; r++) {
        const round = (p - 1) * rounds + r;
        await pair(round, measureSide(sides[0], round), measureSide(sides[1], round));
      }
      if (p === pairs && last) await last(instanceOf);
      for (const side of sides) {
        const instance = instanceOf.get(side);
        instances.push({ name: `${what} pair ${p}, ${side.name}`, ...instance.memory() });
        await instance.stop();
      }
    }
  };

  if (!ONLY_CEILING)
    await comparePairs('auth', authSides, settings.authPairs, settings.authRounds, async (of) =>
      keep(
        await measureHttp(of.get(authSides[1]), 'auth-nocache-scrypt', 'auth no cache, scrypt', {
          ...spread16,
          till: DEMO_TILL,
          requests: settings.slowAuthRequests,
          warmup: 32,
        }),
      ),
    );

  // What the metrics cost: the same service with them (the default) and without.
  const metricsSides = [
    {
      id: 'metrics-on',
      label: 'metrics on (spread 16)',
      name: 'metrics on',
      till: DEMO_TILL,
      env: {},
    },
    {
      id: 'metrics-off',
      label: 'metrics off (spread 16)',
      name: 'metrics off',
      till: DEMO_TILL,
      env: { METRICS_ENABLED: 'false' },
    },
  ];
  if (!ONLY_CEILING)
    await comparePairs('metrics', metricsSides, settings.metricsPairs, settings.metricsRounds);

  step('checking wallet consistency');
  const integrity = await checkIntegrity(db.url);
  await cleanup.run();

  const scenarios = [...runs.values()].map(combine);
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  for (const [target, connections] of SHAPES) {
    const svc = byId.get(`service-${target}-${connections}`);
    const raw = byId.get(`raw-${target}-${connections}`);
    svc.vsRaw = pairedRatio(svc.runs, raw.runs, (r) => r.rps);
    svc.p99VsRaw = pairedRatio(svc.runs, raw.runs, (r) => r.p99);
    const ceiling = byId.get(`ceiling-${target}-${connections}`);
    if (ceiling) svc.vsCeiling = pairedRatio(svc.runs, ceiling.runs, (r) => r.rps);
  }
  if (!ONLY_CEILING) {
    const authCached = byId.get('auth-cached');
    authCached.vsCheapHash = pairedRatio(
      authCached.runs,
      byId.get('auth-nocache-cheap').runs,
      (r) => r.rps,
    );
    const xmlRuns = byId.get('xml-spread-16');
    xmlRuns.vsJson = pairedRatio(xmlRuns.runs, byId.get('json-spread-16').runs, (r) => r.rps);
    const metricsOn = byId.get('metrics-on');
    metricsOn.vsOff = pairedRatio(metricsOn.runs, byId.get('metrics-off').runs, (r) => r.rps);
    const webhooksOn = byId.get('webhooks-on');
    webhooksOn.vsOff = pairedRatio(webhooksOn.runs, byId.get('webhooks-off').runs, (r) => r.rps);
    webhooksOn.delivered = webhooks.delivered;
  }

  // Printed and stored pairwise: raw, then the service, per shape; then the auth runs.
  const order = [
    ...SHAPES.flatMap(([t, c]) => [`ceiling-${t}-${c}`, `raw-${t}-${c}`, `service-${t}-${c}`]),
    'json-spread-16',
    'xml-spread-16',
    'auth-cached',
    'auth-nocache-cheap',
    'auth-nocache-scrypt',
    'metrics-on',
    'metrics-off',
    'webhooks-off',
    'webhooks-on',
  ];
  scenarios.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const peaks = instances.map((i) => i.peakRssMb).filter((x) => x !== null);
  const memory = {
    peakRssMb: peaks.length ? round2(Math.max(...peaks)) : null,
    instances: instances.map((i) => ({
      name: i.name,
      peakRssMb: i.peakRssMb === null ? null : round2(i.peakRssMb),
      maxSampledRssMb: i.maxSampledRssMb === null ? null : round2(i.maxSampledRssMb),
    })),
  };
  const targets = evaluate(byId, memory, integrity);
  const results = {
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      totalMemoryMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      date: new Date().toISOString(),
      loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((x) => round2(x)) },
    },
    database: { kind: db.kind, version: db.version },
    settings,
    targets,
    pass: targets.every((t) => t.pass),
    scenarios,
    coldStart,
    memory,
    integrity,
  };
  // A quick run is not a run of record: it writes quick.json only.
  if (ONLY_CEILING) {
    await writeFile(join(resultsDir, 'quick.json'), `${JSON.stringify(results, null, 2)}\n`);
  } else {
    await writeFile(join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(join(resultsDir, 'latest.svg'), renderSvg(results));
  }

  console.log('');
  printTable(scenarios);
  printStatements(scenarios);
  for (const c of coldStart) {
    console.log(
      `cold start, ${c.instance} (its first ${settings.serviceWarmup} requests, not compared): ${c.rps} req/s, p99 ${c.p99} ms, ${c.cpuMsPerRequest.service ?? '-'} ms service CPU per request`,
    );
  }
  console.log('');
  console.log(
    `peak RSS of the service: ${memory.instances.map((i) => `${i.peakRssMb} MB (${i.name})`).join(', ')}`,
  );
  console.log('');
  printTargets(targets);
  console.log(
    `\nwrote ${ONLY_CEILING ? 'bench/results/quick.json' : 'bench/results/latest.json and bench/results/latest.svg'} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  return results.pass;
}

// BENCH_SCALE=1: the data-growth bench instead (bench/scale.mjs; not in CI).
if (process.env.BENCH_SCALE === '1') await import('./scale.mjs');
else
  main().then(
    (pass) => process.exit(!pass && process.env.BENCH_STRICT === '1' ? 2 : 0),
    async (err) => {
      if (cleanup.interrupted) return; // the signal handler cleans up and exits
      console.error(
        `\nbenchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`,
      );
      if (pgLog.length > 0 && !process.env.DATABASE_URL)
        console.error(`PostgreSQL log (last lines):\n  ${pgLog.join('\n  ')}`);
      await cleanup.run();
      process.exit(1);
    },
  );
