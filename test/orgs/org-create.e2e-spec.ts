import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { admin, redeem } from '../support/api';
import { AppProcess, spawnApp, stopAllApps } from '../support/chaos/app-process';
import { basic, DEMO_ADMIN } from '../support/credentials';
import { runOrgCreateCli } from '../support/org-create-cli';
import { itemOf } from '../support/redeem-helpers';
import { createTestDatabase, TestApp, TestDatabase } from '../support/test-app';

// Issue 29: an operator brings up a real deployment from an empty database with
// `npm run org:create` (the built CLI, run as a script would run it) and the service started
// with SEED_ON_START=never.
jest.setTimeout(180_000);

const PASSWORD = 'Acme-admin-pass-7f3k';
const ACME = ['--code', 'acme', '--name', 'Acme Stores', '--admin', 'acme.admin'];
const ACME_ADMIN = basic('acme.admin', PASSWORD);

/** Rows of the tables org:create writes, to show that a refused run wrote none. */
async function counts(url: string): Promise<Record<string, number>> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const tables = ['org', 'org_config', 'program', 'access_group', 'app_user'];
    const out: Record<string, number> = {};
    for (const t of tables) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`);
      out[t] = rows[0].n;
    }
    return out;
  } finally {
    await db.end();
  }
}

/** `npm run seed` (built) against the database, to show the new org is kept apart from it. */
function seedDemo(url: string): Promise<number | null> {
  const cli = resolve(__dirname, '..', '..', 'dist', 'src', 'seed', 'seed-cli.js');
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli], {
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: url },
    });
    child.once('close', done);
  });
}

describe('org:create against DATABASE_URL', () => {
  let database: TestDatabase;
  let app: AppProcess | undefined;
  const env = () => ({ DATABASE_URL: database.url, ORG_ADMIN_PASSWORD: PASSWORD });

  beforeAll(async () => {
    database = await createTestDatabase('org_create');
  });
  afterAll(async () => {
    await stopAllApps();
    await database.drop();
  });

  it('on an empty database: migrates, creates the org and its admin in one run, prints one line and never the password', async () => {
    const run = await runOrgCreateCli(ACME, env());
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^created org acme \(id \d+\) with admin acme\.admin\n$/);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(await counts(database.url)).toEqual({
      org: 1,
      org_config: 1,
      program: 1,
      access_group: 2,
      app_user: 1,
    });
  });

  it('a code or a username already there: exit 1 with a message, nothing written', async () => {
    const before = await counts(database.url);
    const sameCode = await runOrgCreateCli(
      ['--code', 'acme', '--name', 'Acme again', '--admin', 'someone.else'],
      env(),
    );
    expect(sameCode.code).toBe(1);
    expect(sameCode.stdout).toBe('');
    expect(sameCode.stderr).toBe(
      'org:create: an org with the code "acme" exists already: nothing was written\n',
    );

    const sameAdmin = await runOrgCreateCli(
      ['--code', 'acme2', '--name', 'Acme two', '--admin', 'acme.admin'],
      env(),
    );
    expect(sameAdmin.code).toBe(1);
    expect(sameAdmin.stdout).toBe('');
    expect(sameAdmin.stderr).toMatch(
      /^org:create: the username "acme\.admin" is taken .*: nothing was written\n$/,
    );
    expect(await counts(database.url)).toEqual(before);
  });

  it('no ORG_ADMIN_PASSWORD and no terminal: refused with what to do, nothing written', async () => {
    const before = await counts(database.url);
    const run = await runOrgCreateCli(
      ['--code', 'beta', '--name', 'Beta', '--admin', 'beta.admin'],
      { DATABASE_URL: database.url },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('set ORG_ADMIN_PASSWORD, or run this on a terminal');
    expect(await counts(database.url)).toEqual(before);
  });

  it('--help prints the usage and exits 0; a bad command line exits 2 with the reason, no stack trace', async () => {
    const help = await runOrgCreateCli(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run org:create -- --code <code>');
    expect(help.stdout).toContain('ORG_ADMIN_PASSWORD');

    const bad = await runOrgCreateCli(
      ['--code', 'Not A Code', '--name', 'X', '--admin', 'x'],
      env(),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--code "Not A Code": must be 1-40 of a-z');
    expect(bad.stderr).not.toMatch(/\n\s+at /);

    const unreachable = await runOrgCreateCli(ACME, {
      DATABASE_URL: 'postgres://app:db-secret@127.0.0.1:1/points_test',
      ORG_ADMIN_PASSWORD: PASSWORD,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      /^org:create: cannot reach the database at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/points_test: /,
    );
    expect(unreachable.stderr).not.toMatch(/db-secret|\n\s+at /);
  });

  describe('the service started on it with SEED_ON_START=never', () => {
    beforeAll(async () => {
      // The demo data beside it (npm run seed), so that what the new admin does not see is there.
      expect(await seedDemo(database.url)).toBe(0);
      app = await spawnApp(database.url, { SEED_ON_START: 'never' });
    });

    const t = () => ({ url: app!.url }) as TestApp;

    it('the new admin signs in, to its own org with demo_mode off, the Default program and both access groups', async () => {
      const config = await admin(t(), 'get', '/admin/config', undefined, ACME_ADMIN);
      expect(config.status).toBe(200);
      expect(config.body).toMatchObject({ demo_mode: false, otp_validity_minutes: 15 });

      const programs = await admin(t(), 'get', '/admin/programs', undefined, ACME_ADMIN);
      expect(programs.body).toEqual([
        expect.objectContaining({
          name: 'Default',
          is_default: true,
          min_redeem: 1,
          max_redeem: null,
          redeem_multiple_of: 1,
          points_currency_ratio: 1,
        }),
      ]);
      const groups = await admin(t(), 'get', '/admin/access-groups', undefined, ACME_ADMIN);
      expect(groups.body).toEqual([
        expect.objectContaining({
          name: 'Default',
          points: 'write',
          customer: 'read',
          admin: 'none',
        }),
        expect.objectContaining({
          name: 'Admin',
          points: 'write',
          customer: 'write',
          admin: 'write',
        }),
      ]);
    });

    it('sees none of the demo data: its tills are itself alone, the demo customer is not found', async () => {
      const tills = await admin(t(), 'get', '/admin/tills', undefined, ACME_ADMIN);
      expect(tills.status).toBe(200);
      expect((tills.body as { username: string }[]).map((u) => u.username)).toEqual(['acme.admin']);
      const search = await admin(
        t(),
        'get',
        '/admin/customers?q=919900000001',
        undefined,
        ACME_ADMIN,
      );
      expect(search.status).toBe(200);
      expect(search.body).toEqual([]);
      // And the demo admin, still there, sees nothing of acme's.
      const demoTills = await admin(t(), 'get', '/admin/tills');
      expect((demoTills.body as { username: string }[]).map((u) => u.username)).not.toContain(
        'acme.admin',
      );
      expect((await admin(t(), 'get', '/admin/config', undefined, DEMO_ADMIN)).status).toBe(200);
    });

    it('creates a till named after the org, credits a customer, and the till redeems', async () => {
      const till = await admin(
        t(),
        'post',
        '/admin/tills',
        { username: 'acme.till1', password: 'Acme-till-pass-1', access_group: 'Default' },
        ACME_ADMIN,
      );
      expect(till.status).toBe(201);
      const customer = await admin(
        t(),
        'post',
        '/admin/customers',
        { mobile: '919900000777' },
        ACME_ADMIN,
      );
      expect(customer.status).toBe(201);
      const credited = await admin(
        t(),
        'post',
        '/admin/points/credit',
        { customer_id: (customer.body as { id: number }).id, points: 250 },
        ACME_ADMIN,
      );
      expect(credited.status).toBe(201);

      const res = await redeem(
        t(),
        { points_redeemed: 100, customer: { mobile: '919900000777' } },
        { skip_validation: 'true' },
        basic('acme.till1', 'Acme-till-pass-1'),
      );
      expect(res.status).toBe(200);
      expect(itemOf(res).item_status.code).toBe(800);
      expect(itemOf(res).balance).toBe(150);
      // The demo's till cannot see acme's customer.
      const asDemo = await request(t().url)
        .get('/v1.1/customer/get')
        .query({ mobile: '919900000777' })
        .set('Authorization', basic('demo.till', 'demo.pass'));
      expect(asDemo.text).not.toContain('"loyalty_points":150');
    });
  });
});
