import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { freePort, spawnApp, stopAllApps } from '../support/chaos/app-process';
import { basic } from '../support/credentials';
import { runOrgCreateCli } from '../support/org-create-cli';

// Issue 29: `npm run org:create` on the embedded default (no DATABASE_URL) works whether or
// not `npm start` runs. While a service owns the folder's database, org:create connects to
// it and leaves it alone (the owner stays the owner, the server keeps running); with no
// owner, org:create starts the server itself and stops it when done.
jest.setTimeout(240_000);

const PASSWORD = 'Embedded-admin-pass-9q';

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

describe('org:create on the embedded default', () => {
  let dir: string;
  let dataDir: string;
  let pgPort: number;
  const embedded = () => ({ EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) });
  const service = () => spawnApp(undefined, { ...embedded(), SEED_ON_START: 'auto' });
  const postmasterPid = () =>
    Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'points-orgcreate-'));
    chmodSync(dir, 0o711); // as root, the postgres user must reach the data folder
    dataDir = join(dir, 'postgres');
    pgPort = await freePort();
  });
  afterAll(async () => {
    await stopAllApps();
    await rm(dir, { recursive: true, force: true });
  });

  it('while `npm start` owns the database: connects to it, neither takes it over nor stops it, and the service lets the new admin in', async () => {
    const app = await service();
    try {
      const claim = readFileSync(`${dataDir}.owner`, 'utf8');
      const server = postmasterPid();

      const run = await runOrgCreateCli(
        ['--code', 'north', '--name', 'North Branch', '--admin', 'north.admin'],
        { ...embedded(), ORG_ADMIN_PASSWORD: PASSWORD },
      );
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^created org north \(id \d+\) with admin north\.admin\n$/);
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);

      // The same owner, the same server, still up.
      expect(readFileSync(`${dataDir}.owner`, 'utf8')).toBe(claim);
      expect(postmasterPid()).toBe(server);
      expect(app.alive()).toBe(true);
      const config = await request(app.url)
        .get('/admin/config')
        .set('Authorization', basic('north.admin', PASSWORD));
      expect(config.status).toBe(200);
      expect(config.body).toMatchObject({ demo_mode: false });
      expect((await request(app.url).get('/health/ready')).status).toBe(200);
      // The demo data the service seeded is there, and not north's.
      const demo = await request(app.url)
        .get('/admin/tills')
        .set('Authorization', basic('demo.admin', 'admin.pass'));
      expect(demo.status).toBe(200);
      expect(JSON.stringify(demo.body)).not.toContain('north.admin');
    } finally {
      await app.stop();
    }
    expect(app.child.exitCode).toBe(0);
    expect(existsSync(`${dataDir}.owner`)).toBe(false);
  });

  it('with no owner running: starts the database itself, creates the org, and stops it again', async () => {
    expect(await listening(pgPort)).toBe(false);
    const run = await runOrgCreateCli(
      ['--code', 'south', '--name', 'South Branch', '--admin', 'south.admin'],
      { ...embedded(), ORG_ADMIN_PASSWORD: PASSWORD },
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^created org south \(id \d+\) with admin south\.admin\n$/);
    // Stopped as it was found: no claim, no server, nothing listening.
    expect(existsSync(`${dataDir}.owner`)).toBe(false);
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    expect(await listening(pgPort)).toBe(false);

    // A code taken meanwhile is refused the same way here.
    const again = await runOrgCreateCli(
      ['--code', 'north', '--name', 'North again', '--admin', 'north.other'],
      { ...embedded(), ORG_ADMIN_PASSWORD: PASSWORD },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('an org with the code "north" exists already');
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);

    const app = await service();
    try {
      for (const user of ['south.admin', 'north.admin']) {
        const res = await request(app.url)
          .get('/admin/tills')
          .set('Authorization', basic(user, PASSWORD));
        expect(res.status).toBe(200);
        expect((res.body as { username: string }[]).map((u) => u.username)).toEqual([user]);
      }
    } finally {
      await app.stop();
    }
  });
});
