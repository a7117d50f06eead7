import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createServer, Server } from 'node:net';
import { resolve } from 'node:path';
import request from 'supertest';
import { makeCustomer, redeem } from './support/api';
import { freePort, spawnApp, stopAllApps } from './support/chaos/app-process';
import { DEMO_MOBILE, DEMO_TILL } from './support/credentials';
import { itemOf } from './support/redeem-helpers';
import { redeemFor, reverse } from './support/reversal-helpers';
import { createTestDatabase, startTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

/** The samples of a Prometheus text exposition, by `name{labels}`. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('operations: metrics', () => {
  let t: TestApp;
  const TOKEN = 'metrics-token-0123456789';

  beforeAll(async () => {
    t = await startTestApp('metrics', { METRICS_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '100000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const scrape = async () => {
    const res = await request(t.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return { text: res.text, values: samples(res.text) };
  };

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    expect((await request(t.url).get('/metrics')).status).toBe(401);
    expect(
      (await request(t.url).get('/metrics').set('Authorization', 'Bearer wrong-token-0000000000'))
        .status,
    ).toBe(401);
  });

  it('a redemption, a refused redemption and a reversal move their counters by exactly one', async () => {
    const c = await makeCustomer(t, [{ points: 50 }]);
    const before = (await scrape()).values;

    const { rows } = await t.pg.query<{ id: number }>(
      `SELECT p.id FROM program p JOIN org o ON o.id = p.org_id WHERE o.code = 'demo' AND p.is_default`,
    );
    const program = rows[0].id;
    const redeemed = await redeemFor(t, c.mobile, 10, { skip_validation: 'true' });
    const refused = await redeem(t, { points_redeemed: 500, customer: { mobile: c.mobile } });
    expect(itemOf(refused).item_status.code).toBe(803);
    const reversed = await reverse(t, { redemptionId: redeemed, pointsToBeReversed: 4 });
    expect(reversed.status).toBe(200);

    const after = (await scrape()).values;
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    expect({
      redeemed: delta(`points_redemption_items_total{code="800",program="${program}"}`),
      refused: delta(`points_redemption_items_total{code="803",program="${program}"}`),
      reversed: delta('points_reversals_total{code="200"}'),
    }).toEqual({ redeemed: 1, refused: 1, reversed: 1 });
    const redeemRoute = [...after.keys()].find(
      (k) =>
        k.startsWith('http_request_duration_seconds_count{') &&
        k.includes('route="/v1.1/points/redeem"') &&
        k.includes('method="POST"') &&
        k.includes('status="200"'),
    );
    expect(redeemRoute).toBeDefined();
    expect(delta(redeemRoute!)).toBeGreaterThanOrEqual(2);
  });

  it('the pool, the outbox, expiry lag and process metrics are there', async () => {
    const { values } = await scrape();
    for (const key of [
      'points_db_pool_connections{state="total"}',
      'points_db_pool_connections{state="idle"}',
      'points_db_pool_connections{state="waiting"}',
      'points_outbox_backlog',
      'points_outbox_oldest_age_seconds',
      'points_expiry_lag_seconds',
      'process_resident_memory_bytes',
    ]) {
      expect({ key, present: values.has(key) }).toEqual({ key, present: true });
    }
  });

  it('no customer identifier or validation code ever appears: labels are route templates', async () => {
    const c = await makeCustomer(t, [{ points: 5 }]);
    await request(t.url)
      .get('/v1.1/customer/get')
      .query({ mobile: c.mobile })
      .set('Authorization', DEMO_TILL);
    await request(t.url)
      .get(`/v1.1/points/isredeemable?mobile=${c.mobile}&points=1&validation_code=ZZ9Q7X`)
      .set('Authorization', DEMO_TILL);
    await request(t.url).get(`/no/such/route/${c.mobile}`).set('Authorization', DEMO_TILL);
    const { text } = await scrape();
    expect(text).not.toContain(c.mobile);
    expect(text).not.toContain(DEMO_MOBILE);
    expect(text).not.toContain('ZZ9Q7X');
    expect(text).toContain('route="/v1.1/customer/get"');
    expect(text).toContain('route="unmatched"');
  });
});

describe('operations: health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('health');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('/health/live and /health/ready answer 200 with their checks; /health as before', async () => {
    const live = await request(t.url).get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');
    const ready = await request(t.url).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({
      database: { status: 'up' },
      migrations: { status: 'up' },
    });
    const health = await request(t.url).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.info).toEqual({ database: { status: 'up' } });
  });

  it('/health/ready is 503 while a migration is not applied', async () => {
    const { rows } = await t.pg.query<{ id: number; name: string; timestamp: string }>(
      'SELECT id, name, timestamp FROM migrations ORDER BY id DESC LIMIT 1',
    );
    await t.pg.query('DELETE FROM migrations WHERE id = $1', [rows[0].id]);
    try {
      const ready = await request(t.url).get('/health/ready');
      expect(ready.status).toBe(503);
      expect((await request(t.url).get('/health/live')).status).toBe(200);
    } finally {
      await t.pg.query('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [
        rows[0].id,
        rows[0].timestamp,
        rows[0].name,
      ]);
    }
    expect((await request(t.url).get('/health/ready')).status).toBe(200);
  });
});

const MAIN = resolve(__dirname, '..', 'dist', 'src', 'main.js');

/** Runs `npm start`'s process to its end (it is expected to refuse): exit code and output. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [MAIN], {
      cwd: resolve(__dirname, '..'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe('operations: the embedded database has one owner', () => {
  let dir: string;
  let pgPort: number;
  const env = (extra: Record<string, string> = {}) => ({
    EMBEDDED_PG_DIR: join(dir, 'postgres'),
    EMBEDDED_PG_PORT: String(pgPort),
    LOG_LEVEL: 'info',
    SEED_ON_START: 'auto',
    OTP_SECRET: '',
    ...extra,
  });
  const customerGet = (url: string) =>
    request(url)
      .get('/v1.1/customer/get')
      .query({ mobile: DEMO_MOBILE })
      .set('Authorization', DEMO_TILL);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'points-owner-'));
    chmodSync(dir, 0o711); // as root, the postgres user must reach the data folder
    pgPort = await freePort();
  });
  afterAll(async () => {
    await stopAllApps();
    await rm(dir, { recursive: true, force: true });
  });

  it('a second start on the same folder refuses at once, naming the folder, the owner and EMBEDDED_PG_DIR; the first keeps serving', async () => {
    const first = await spawnApp(undefined, env());
    try {
      const redeemed = await redeem({ url: first.url } as TestApp, {
        points_redeemed: 7,
        customer: { mobile: DEMO_MOBILE },
      });
      expect(itemOf(redeemed).item_status.code).toBe(800);

      for (const port of [String(await freePort()), String(first.port)]) {
        const second = await runToExit(env({ PORT: port }));
        expect(second.code).toBe(1);
        expect(second.output).toContain(join(dir, 'postgres'));
        expect(second.output).toContain(`pid ${first.pid}`);
        expect(second.output).toContain('EMBEDDED_PG_DIR');
      }
      // A bad configuration is refused before anything is touched.
      const bad = await runToExit(env({ LOCK_TIMEOUT_MS: 'soon' }));
      expect(bad.code).toBe(1);
      expect(bad.output).toContain('LOCK_TIMEOUT_MS');

      expect(first.alive()).toBe(true);
      const res = await customerGet(first.url);
      expect(res.status).toBe(200);
      expect(res.body.response.customers.customer[0].loyalty_points).toBe(993);
      expect((await request(first.url).get('/health/ready')).status).toBe(200);
    } finally {
      await first.stop();
    }
    expect(existsSync(`${join(dir, 'postgres')}.owner`)).toBe(false);
  });

  it('after the owner is killed outright (its database still up, then down), the next start takes over without losing data', async () => {
    const owner = await spawnApp(undefined, env());
    await owner.kill();
    // The database it started is still running, and its claim is still on disk.
    const pidFile = join(dir, 'postgres', 'postmaster.pid');
    expect(existsSync(pidFile)).toBe(true);
    expect(existsSync(`${join(dir, 'postgres')}.owner`)).toBe(true);

    const next = await spawnApp(undefined, env());
    const res = await customerGet(next.url);
    expect(res.body.response.customers.customer[0].loyalty_points).toBe(993);
    await next.kill();

    // Now the database goes down too (as after a reboot): the stale claim is no obstacle.
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGINT');
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(postmaster, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const after = await spawnApp(undefined, env());
    try {
      const again = await customerGet(after.url);
      expect(again.body.response.customers.customer[0].loyalty_points).toBe(993);
    } finally {
      await after.stop();
    }
  });
});

describe('operations: a start that fails says why', () => {
  it('its port taken, after the migrations ran: exit 1, the reason and the lines before it printed', async () => {
    const database = await createTestDatabase('failed_start');
    const taken: Server = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    try {
      const port = (taken.address() as { port: number }).port;
      const run = await runToExit({
        DATABASE_URL: database.url,
        PORT: String(port),
        LOG_LEVEL: 'info',
        OTP_SECRET: 'a-secret-for-this-test-only-0123456789',
      });
      expect(run.code).toBe(1);
      expect(run.output).toContain('EADDRINUSE');
      // The lines Nest held back until the start completed are printed too.
      expect(run.output).toContain('Starting Nest application');
    } finally {
      await new Promise<void>((done) => taken.close(() => done()));
      await database.drop();
    }
  });

  it('DB_POOL_SIZE below 2 is refused before anything starts, naming the setting', async () => {
    const run = await runToExit({
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      DB_POOL_SIZE: '1',
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain('DB_POOL_SIZE');
  });
});
