import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { send, within } from './load-client';

/** The service running as a separate process (`node dist/src/main.js`), so it can be killed. */
export interface AppProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** True while the process has not exited. */
  alive(): boolean;
  /** Its first error lines and last lines (stdout and stderr), for failure messages. */
  output(): string;
  /** The first error-level (or non-JSON) lines it wrote, at most 30. */
  errorLines(): string[];
  /** The first lines it wrote (stdout and stderr), at most 200: how its start reads. */
  firstLines(): string[];
  /** Sends SIGKILL and waits until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful drain), then SIGKILL if it has not exited within 15 s. */
  stop(): Promise<void>;
}

const MAIN = resolve(__dirname, '..', '..', '..', 'dist', 'src', 'main.js');
const EXIT_WITH_PARENT = resolve(__dirname, 'exit-with-parent.js');
const started = new Set<AppProcess>();

export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/** Polls GET /health until it answers 200 (or throws after `ms`). */
export async function waitForHealth(url: string, ms: number, alive = () => true): Promise<void> {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    if (!alive()) throw new Error('the process exited before /health answered 200');
    const res = await send(url, { method: 'GET', path: '/health' }, { timeoutMs: 3000 });
    if (res.status === 200) return;
    last = res.error ?? `${res.status} ${res.text}`;
    await sleep(100);
  }
  throw new Error(`/health did not answer 200 within ${ms} ms (last: ${last})`);
}

/**
 * Starts the service on `databaseUrl` (undefined: its embedded database, as `npm start`) on a
 * free port and waits for /health. The defaults make it quiet, seed the demo data
 * (idempotent), and lift the per-till rate limit.
 */
export async function spawnApp(
  databaseUrl: string | undefined,
  env: Record<string, string> = {},
): Promise<AppProcess> {
  // npm test builds first; a build running at the same moment (it empties dist/) is waited out.
  for (let waited = 0; !existsSync(MAIN); waited += 250) {
    if (waited >= 60_000) throw new Error('dist/src/main.js is missing: run npm run build first');
    await sleep(250);
  }
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', EXIT_WITH_PARENT, MAIN], {
    cwd: resolve(__dirname, '..', '..', '..'),
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'warn',
      SEED_ON_START: 'always',
      RATE_LIMIT_PER_MINUTE: '1000000',
      EXPIRY_SWEEP_INTERVAL_MS: '0',
      NOTIFICATION_POLL_MS: '0',
      OTP_SECRET: 'chaos-suite-otp-secret-0123456789abcdef',
      ...env,
      ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
      PORT: String(port),
    },
  });
  // The last lines, and separately the first error-level (or non-JSON) lines, which a
  // flood of warnings during an outage would otherwise push out.
  const tail: string[] = [];
  const errors: string[] = [];
  const head: string[] = [];
  const keep = (c: Buffer) => {
    for (const raw of c.toString('utf8').split('\n')) {
      if (raw.trim() === '') continue;
      const line = raw.length > 2000 ? `${raw.slice(0, 2000)}…` : raw;
      tail.push(line);
      if (tail.length > 30) tail.shift();
      if (head.length < 200) head.push(line);
      const level = /^\{"level":(\d+)/.exec(line);
      if ((!level || Number(level[1]) >= 50) && errors.length < 30) errors.push(line);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const alive = () => child.exitCode === null && child.signalCode === null;
  const app: AppProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    child,
    alive,
    errorLines: () => [...errors],
    firstLines: () => [...head],
    output: () => `errors:\n${errors.join('\n')}\nlast lines:\n${tail.join('\n')}`,
    kill: async () => {
      if (alive()) child.kill('SIGKILL');
      await exited(child);
      started.delete(app);
    },
    stop: async () => {
      if (alive()) {
        child.kill('SIGTERM');
        await within(exited(child), 15_000, 'graceful stop').catch(() => child.kill('SIGKILL'));
      }
      await exited(child);
      started.delete(app);
    },
  };
  started.add(app);
  try {
    await waitForHealth(app.url, 60_000, alive);
  } catch (err) {
    await app.kill();
    throw new Error(`${String(err)}\n--- output ---\n${app.output()}`);
  }
  return app;
}

/** Stops every process spawnApp started and has not been stopped yet (for afterAll). */
export async function stopAllApps(): Promise<void> {
  await Promise.all([...started].map((a) => a.kill()));
}
