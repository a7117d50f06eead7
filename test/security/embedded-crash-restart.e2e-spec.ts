import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { adminRequest, redeemItem, redeemRequest } from '../support/chaos/chaos-api';
import { freePort } from '../support/chaos/app-process';
import { send } from '../support/chaos/load-client';
import { DEMO_MOBILE, DEMO_TILL } from '../support/credentials';

// Security review, finding 5: the one-command start (embedded PostgreSQL) comes back after a
// crash under load. The whole process group — the service and the PostgreSQL it started — is
// killed with SIGKILL mid-traffic, as a power cut or the OOM killer would, and started again
// at once, five times in a row: each time it must answer within 60 s and keep every
// redemption it had confirmed.
jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const EXIT_WITH_PARENT = join(ROOT, 'test', 'support', 'chaos', 'exit-with-parent.js');
const CYCLES = 5;
const CLIENTS = 8;
const READY_WITHIN_MS = 60_000;

interface Started {
  child: ChildProcess;
  output: string[];
  exited: Promise<void>;
}

/** `node dist/src/main.js` as the leader of a process group of its own (as `npm start` is). */
function startService(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['-r', EXIT_WITH_PARENT, MAIN], {
    cwd: ROOT,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  const output: string[] = [];
  const keep = (c: Buffer) => {
    output.push(c.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return { child, output, exited };
}

const alive = (s: Started) => s.child.exitCode === null && s.child.signalCode === null;

/** Every process of the group at once: the service and the PostgreSQL it started. */
function killGroup(s: Started): void {
  try {
    process.kill(-s.child.pid!, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

async function waitReady(url: string, s: Started): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < READY_WITHIN_MS) {
    if (!alive(s)) throw new Error(`the service exited:\n${s.output.join('')}`);
    const res = await send(url, { method: 'GET', path: '/health/ready' }, { timeoutMs: 2000 });
    if (res.status === 200) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`not ready within ${READY_WITHIN_MS} ms:\n${s.output.join('')}`);
}

describe('security review: the embedded default comes back after a crash under load', () => {
  let dir: string;
  let dataDir: string;
  let service: Started | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'points-crash-'));
    chmodSync(dir, 0o711); // as root, the postgres user must reach the data folder
    dataDir = join(dir, 'postgres');
  });
  afterAll(async () => {
    if (service && alive(service)) {
      killGroup(service);
      await service.exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('SIGKILL of the whole group mid-redemptions, five times: each start answers within 60 s with every confirmed redemption', async () => {
    const pgPort = await freePort();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      EMBEDDED_PG_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      PORT: String(port),
      LOG_LEVEL: 'info',
      SEED_ON_START: 'auto',
      RATE_LIMIT_PER_MINUTE: '1000000',
      EXPIRY_SWEEP_INTERVAL_MS: '0',
      NOTIFICATION_POLL_MS: '0',
    };
    service = startService(env);
    await waitReady(url, service);
    const topUp = await send(
      url,
      adminRequest('POST', '/admin/points/credit', {
        customer: { mobile: DEMO_MOBILE },
        points: 1_000_000,
      }),
    );
    expect(topUp.status).toBe(201);

    const confirmed = new Map<string, string>(); // external reference → redemption code
    const readyTimes: number[] = [];
    let seq = 0;
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      let stop = false;
      const deadline = Date.now() + 2 * READY_WITHIN_MS;
      const client = async () => {
        while (!stop && Date.now() < deadline) {
          const ern = `crash-${cycle}-${seq++}`;
          const res = await send(url, redeemRequest(DEMO_MOBILE, 1, { ern }), { timeoutMs: 5000 });
          if (res.status === 200) {
            const code = redeemItem(res).redemption_id;
            if (code) confirmed.set(ern, code);
          } else if (res.status === 0) {
            await sleep(20); // refused while down: do not spin
          }
        }
      };
      const before = confirmed.size;
      const clients = Array.from({ length: CLIENTS }, client);
      let readyIn: number;
      try {
        // Traffic in full flow (some answers confirmed) before the power goes.
        for (let waited = 0; confirmed.size - before < 50 && waited < 10_000; waited += 50) {
          await sleep(50);
        }
        await sleep(300);
        killGroup(service);
        await service.exited;
        service = startService(env);
        readyIn = await waitReady(url, service);
      } finally {
        stop = true;
        await Promise.all(clients);
      }
      readyTimes.push(readyIn);
      expect(confirmed.size - before).toBeGreaterThan(0);
      expect(readyIn).toBeLessThan(READY_WITHIN_MS);

      // Everything confirmed so far is there, under the code the till was given.
      const password = readFileSync(`${dataDir}.password`, 'utf8').trim();
      const db = new Client({
        host: '127.0.0.1',
        port: pgPort,
        user: 'postgres',
        password,
        database: 'points',
      });
      await db.connect();
      try {
        const { rows } = await db.query<{ ern: string; code: string }>(
          `SELECT external_reference_number AS ern, code FROM redemption
            WHERE external_reference_number LIKE 'crash-%'`,
        );
        const stored = new Map(rows.map((r) => [r.ern, r.code]));
        const missing = [...confirmed].filter(([ern, code]) => stored.get(ern) !== code);
        expect(missing).toEqual([]);
      } finally {
        await db.end();
      }
      const ledger = await send(url, adminRequest('GET', '/admin/ledger/verify'));
      expect(JSON.parse(ledger.text)).toMatchObject({ ok: true, failures: [] });
    }
    expect(readyTimes).toHaveLength(CYCLES);

    // And it still stops cleanly, leaving no claim behind.
    service.child.kill('SIGTERM');
    await service.exited;
    expect(service.child.exitCode).toBe(0);
  });
});

/** Runs a start expected to refuse: its exit code and everything it printed. */
async function runToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const s = startService(env);
  const timer = setTimeout(() => killGroup(s), 60_000);
  await s.exited;
  clearTimeout(timer);
  return { code: s.child.exitCode, output: s.output.join('') };
}

describe('security review: a start after an unclean stop takes over, or says what is wrong', () => {
  let dir: string;
  let pgPort: number;
  let port: number;
  const env = (dataDir: string) => ({
    EMBEDDED_PG_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    PORT: String(port),
    LOG_LEVEL: 'info',
    SEED_ON_START: 'auto',
    EXPIRY_SWEEP_INTERVAL_MS: '0',
    NOTIFICATION_POLL_MS: '0',
  });
  const url = () => `http://127.0.0.1:${port}`;
  /** The seeded customer's points, as a till reads them. */
  const demoPoints = async () => {
    const res = await send(url(), {
      method: 'GET',
      path: '/v1.1/customer/get',
      query: { mobile: DEMO_MOBILE },
      headers: { Authorization: DEMO_TILL },
    });
    const body = JSON.parse(res.text) as {
      response: { customers: { customer: { loyalty_points: number }[] } };
    };
    return body.response.customers.customer[0].loyalty_points;
  };
  let running: Started | undefined;
  const stopRunning = async () => {
    if (!running) return;
    running.child.kill('SIGTERM');
    await running.exited;
    expect(running.child.exitCode).toBe(0);
    running = undefined;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'points-unclean-'));
    chmodSync(dir, 0o711);
    pgPort = await freePort();
    port = await freePort();
  });
  afterAll(async () => {
    if (running && alive(running)) {
      killGroup(running);
      await running.exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  const folder = () => join(dir, 'postgres');
  const marker = () => `${folder()}.password.init`;

  it('a first start killed during initdb leaves a half-made folder: the next start makes it anew and serves', async () => {
    const first = startService(env(folder()));
    // PG_VERSION is among the first files initdb writes; the cluster is far from made then.
    for (let i = 0; i < 3000 && !existsSync(join(folder(), 'PG_VERSION')) && alive(first); i++) {
      await sleep(5);
    }
    killGroup(first);
    await first.exited;
    expect(existsSync(marker())).toBe(true);
    expect(existsSync(join(folder(), 'PG_VERSION'))).toBe(true);
    // initdb's throwaway password file was left in the folder's own scratch, not in /tmp.
    expect(readdirSync(`${folder()}.initdb`)).toEqual([expect.stringMatching(/^pg-password-/)]);

    running = startService(env(folder()));
    await waitReady(url(), running);
    expect(existsSync(`${folder()}.initdb`)).toBe(false);
    expect(running.output.join('')).toContain(
      'was cut short (it holds no data): initialising it again',
    );
    expect(existsSync(marker())).toBe(false);
    expect(await demoPoints()).toBe(1000);
    await stopRunning();
  });

  it('a folder holding data is never made anew: with the marker put back by hand, the start refuses and says why', async () => {
    writeFileSync(marker(), 'x', { mode: 0o600 });
    const before = readdirSync(join(folder(), 'base')).sort();
    const run = await runToExit(env(folder()));
    expect(run.code).toBe(1);
    expect(run.output).toContain(`${folder()} holds a database although ${marker()}`);
    expect(run.output).toContain(`remove ${marker()}`);
    expect(readdirSync(join(folder(), 'base')).sort()).toEqual(before);

    execFileSync('rm', [marker()]);
    running = startService(env(folder()));
    await waitReady(url(), running);
    expect(await demoPoints()).toBe(1000);
    await stopRunning();
  });

  it('a stale postmaster.pid naming a live process that is no server of the folder: removed, that process left alone', async () => {
    // As root, PostgreSQL runs as the postgres user and only sees that user's processes.
    const asUser =
      process.getuid?.() === 0
        ? {
            uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
            gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
          }
        : {};
    const bystander = spawn('sleep', ['120'], { ...asUser, stdio: 'ignore' });
    try {
      writeFileSync(
        join(folder(), 'postmaster.pid'),
        `${bystander.pid}\n${folder()}\n0\n${pgPort}\n\n127.0.0.1\n0 0\nready\n`,
      );
      running = startService(env(folder()));
      await waitReady(url(), running);
      expect(running.output.join('')).toContain(`pid ${bystander.pid} runs no server in it`);
      expect(bystander.exitCode).toBeNull();
      expect(bystander.signalCode).toBeNull();
      await stopRunning();
    } finally {
      bystander.kill('SIGKILL');
    }
  });

  it('a folder that is not empty and holds no database is refused, its files untouched', async () => {
    const foreign = join(dir, 'not-a-cluster');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    const run = await runToExit(env(foreign));
    expect(run.code).toBe(1);
    expect(run.output).toContain(`${foreign} is not empty but holds no PostgreSQL data`);
    expect(readdirSync(foreign)).toEqual(['notes.txt']);
  });
});
