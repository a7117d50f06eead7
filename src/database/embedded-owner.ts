import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

/** Another live process owns the embedded database of this data folder. */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The embedded PostgreSQL in ${dataDir} belongs to another running process (pid ${ownerPid}). ` +
        'Only the process that started it uses and stops it: stop that process first, or give ' +
        'this one a data folder of its own with EMBEDDED_PG_DIR (and EMBEDDED_PG_PORT). ' +
        `If no such process runs, remove ${dataDir}.owner.`,
    );
  }
}

interface OwnerRecord {
  pid: number;
  /** When the process started (Linux: clock ticks since boot), so a reused pid is not taken for it. */
  started: string | null;
}

/** The fields of /proc/<pid>/stat from field 3 (state) on; null where there is no /proc. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Counted after the command name (which may hold spaces) in parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** A process's start time from /proc (field 22); null where there is no /proc. */
export function startTimeOf(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

/** Whether a process with this pid exists (EPERM: it does, as another user's). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a process with this pid exists and still runs. A process killed outright stays
 * a zombie (state Z) until its parent reaps it, which can take a while when the parent was
 * killed too (the new parent is init): it holds no file, port or memory any more, yet
 * kill(pid, 0) still finds it. Taking it for alive is what refused a start right after a
 * crash.
 */
export function processRuns(pid: number): boolean {
  if (!processExists(pid)) return false;
  const state = statFields(pid)?.[0];
  return state !== 'Z' && state !== 'X';
}

function isAlive(owner: OwnerRecord): boolean {
  if (!processRuns(owner.pid)) return false;
  return owner.started === null || startTimeOf(owner.pid) === owner.started;
}

function read(file: string): OwnerRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as OwnerRecord;
    return Number.isInteger(record.pid) ? record : undefined;
  } catch {
    return undefined;
  }
}

const same = (a: OwnerRecord | undefined, b: OwnerRecord | undefined): boolean =>
  a !== undefined && b !== undefined && a.pid === b.pid && a.started === b.started;

const ignoreMissing = (fn: () => void): void => {
  try {
    fn();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
};

/**
 * Makes this process the one owner of the embedded database in `dataDir`, through a claim
 * beside the folder (`<folder>.owner`). The claim appears whole or not at all (written aside,
 * then hard-linked into place, which fails if one exists). A live owner makes this throw
 * EmbeddedDatabaseInUseError before anything is touched. A dead owner's claim (the owner was
 * killed) is moved aside atomically and checked: of two processes recovering at once, one
 * takes it over and the other then meets a live owner. `release` removes the claim if it is
 * still this process's.
 */
export function claimEmbeddedDatabase(dataDir: string): { release(): void } {
  const file = `${dataDir}.owner`;
  const mine: OwnerRecord = { pid: process.pid, started: startTimeOf(process.pid) };
  const draft = `${file}.${process.pid}`;
  // A draft of an earlier process with this pid (pids repeat after a reboot) is stale; and
  // whatever is there, a link included, is removed rather than written through.
  ignoreMissing(() => unlinkSync(draft));
  writeFileSync(draft, JSON.stringify(mine), { mode: 0o600, flag: 'wx' });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw err;
      }
      const owner = read(file);
      if (owner && isAlive(owner)) throw new EmbeddedDatabaseInUseError(dataDir, owner.pid);
      const aside = `${file}.stale-${process.pid}`;
      try {
        renameSync(file, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone moved it first
        throw err;
      }
      const moved = read(aside);
      if (owner !== undefined && !same(moved, owner)) {
        // Between our read and the move, another process put its own live claim here: back.
        ignoreMissing(() => linkSync(aside, file));
      }
      ignoreMissing(() => unlinkSync(aside));
    }
  } finally {
    ignoreMissing(() => unlinkSync(draft));
  }
  return {
    release: () => {
      if (same(read(file), mine)) ignoreMissing(() => unlinkSync(file));
    },
  };
}
