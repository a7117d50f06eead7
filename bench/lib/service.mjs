import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, procStatusMb, randomId, sleep } from './util.mjs';

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;
const TAIL_LINES = 40;

/**
 * The node options of `npm start` (package.json's start script, `node <options>
 * dist/src/main.js`), so that the benchmark runs the service exactly as production does.
 */
export function productionNodeOptions(root) {
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start;
  const match = /^node((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/src\/main\.js$/.exec(start);
  if (!match)
    throw new Error(
      `package.json's start script is not "node [--options] dist/src/main.js": ${start}`,
    );
  return match[1].trim().split(/\s+/).filter(Boolean);
}

/**
 * The service as production runs it (`npm start`'s command), in its own process, on a
 * free port. Settings the benchmark does not set pass through from the environment
 * (DB_POOL_SIZE, LOCK_TIMEOUT_MS, …) except REDIS_URL and AUTH_CACHE_TTL_MS.
 */
export async function startService({ root, databaseUrl, env = {}, cleanup, cpuProfDir }) {
  const port = await freePort();
  const childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SEED_ON_START: 'always',
    RATE_LIMIT_PER_MINUTE: '100000000',
    EXPIRY_SWEEP_INTERVAL_MS: '0',
    NOTIFICATION_POLL_MS: '0',
    // Set, so the service does not write a generated one into the working folder.
    OTP_SECRET: randomId(24),
  };
  delete childEnv.REDIS_URL;
  delete childEnv.AUTH_CACHE_TTL_MS;
  Object.assign(childEnv, env);

  const args = productionNodeOptions(root);
  if (cpuProfDir) args.push('--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`);
  const child = spawn(process.execPath, [...args, 'dist/src/main.js'], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = [];
  const keep = (chunk) => {
    for (const line of String(chunk).split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = () => child.exitCode === null && child.signalCode === null;

  const stop = async () => {
    if (!running()) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited, sleep(STOP_TIMEOUT_MS).then(() => undefined)]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  const forget = cleanup.add(`service (pid ${child.pid})`, stop, () => {
    if (running()) child.kill('SIGKILL');
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (!running()) {
      throw new Error(`the service exited during start-up:\n  ${tail.join('\n  ')}`);
    }
    if (Date.now() > deadline) throw new Error(`the service did not become healthy in time`);
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }

  let maxSampledRssMb = 0;
  let sampler;
  return {
    pid: child.pid,
    port,
    baseUrl,
    tail: () => tail.join('\n'),
    /** Samples VmRSS every `everyMs` until stopSampling(). */
    startSampling(everyMs = 100) {
      sampler ??= setInterval(() => {
        maxSampledRssMb = Math.max(maxSampledRssMb, procStatusMb(child.pid, 'VmRSS') ?? 0);
      }, everyMs);
    },
    stopSampling() {
      clearInterval(sampler);
      sampler = undefined;
    },
    /** Peak RSS (VmHWM) since start, the largest VmRSS sample and the RSS now, in MB. */
    memory() {
      return {
        peakRssMb: procStatusMb(child.pid, 'VmHWM'),
        maxSampledRssMb: maxSampledRssMb || null,
        rssNowMb: procStatusMb(child.pid, 'VmRSS'),
      };
    },
    async stop() {
      this.stopSampling();
      await stop();
      forget();
    },
  };
}
