import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Client, Pool } from 'pg';
import { createApp } from '../../src/bootstrap';
import { TestClock } from './test-clock';
import { validateEnv } from '../../src/config/env';
import { Db } from '../../src/database/db';
import { PG_TYPES } from '../../src/database/pg-types';
import { seedDemo } from '../../src/seed/seed';

export interface TestApp {
  app: NestExpressApplication;
  /** Base URL of the real HTTP server, e.g. http://127.0.0.1:41234 */
  url: string;
  /** A direct connection to the suite's database, for asserting what was written. */
  pg: Pool;
  databaseUrl: string;
  clock: TestClock;
  close(): Promise<void>;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TEST_SERVER_URL;
  if (!url) throw new Error('TEST_SERVER_URL is not set: run e2e tests through jest (globalSetup)');
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) throw new Error(`refusing non-test database "${name}"`);
  return url;
}

/** A fresh database on the test server, named test_<suite>_<random>. */
export async function createTestDatabase(suite: string): Promise<TestDatabase> {
  const admin = serverUrl();
  const name = `test_${suite.replace(/\W+/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Starts the real application (same bootstrap as production) on a fresh database built by
 * the real migrations and seeded with the demo data, listening on a random port.
 */
export async function startTestApp(
  suite: string,
  env: Record<string, string> = {},
  database?: TestDatabase,
): Promise<TestApp> {
  const db = database ?? (await createTestDatabase(suite));
  const vars: Record<string, string> = {
    LOG_LEVEL: 'silent',
    EXPIRY_SWEEP_INTERVAL_MS: '0',
    REDIS_URL: '',
    ...env,
    DATABASE_URL: db.url,
  };
  const saved = { ...process.env };
  Object.assign(process.env, vars);
  let app: NestExpressApplication;
  const clock = new TestClock();
  try {
    app = await createApp(validateEnv(process.env), { clock });
  } finally {
    process.env = saved;
  }
  if (!database) await app.get(Db).transaction((tx) => seedDemo(tx));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const pg = new Pool({ connectionString: db.url, max: 4, types: PG_TYPES });
  // An idle connection ended by the server (a database dropped WITH (FORCE), a restart) must
  // not crash the test process; the next query simply opens a new one.
  pg.on('error', () => undefined);
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    pg,
    databaseUrl: db.url,
    clock,
    close: async () => {
      await pg.end();
      await app.close();
      if (!database) await db.drop();
    },
  };
}
