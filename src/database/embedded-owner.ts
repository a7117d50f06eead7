import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/** Another live process owns the embedded database of this data folder. */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The embedded PostgreSQL in ${dataDir} belongs to another running process (pid ${ownerPid}). ` +
        'Only the process that started it uses and stops it: stop that process first, or give ' +
        'this one a data folder of its own with EMBEDDED_PG_DIR (and EMBEDDED_PG_PORT).',
    );
  }
}

interface OwnerRecord {
  pid: number;
  /** When the process started (Linux: clock ticks since boot), so a reused pid is not taken for it. */
  started: string | null;
}

/** A process's start time from /proc; null where there is no /proc. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name (which may hold spaces) in parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(owner: OwnerRecord): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user, so it is alive.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
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

/**
 * Makes this process the one owner of the embedded database in `dataDir`, through a lock
 * file beside the folder (`<folder>.owner`, created exclusively). A live owner makes this
 * throw EmbeddedDatabaseInUseError before anything is touched; a dead one's file (the owner
 * was killed) is taken over. `release` removes the file if it is still this process's.
 */
export function claimEmbeddedDatabase(dataDir: string): { release(): void } {
  const file = `${dataDir}.owner`;
  const mine: OwnerRecord = { pid: process.pid, started: startTimeOf(process.pid) };
  const text = JSON.stringify(mine);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const owner = read(file);
    if (owner && owner.pid !== process.pid && isAlive(owner)) {
      throw new EmbeddedDatabaseInUseError(dataDir, owner.pid);
    }
    // A stale claim: its owner is gone. Removed, then claimed afresh (exclusively: of two
    // processes recovering at once, one wins and the other meets a live owner).
    unlinkSync(file);
  }
  return {
    release: () => {
      if (read(file)?.pid === process.pid) unlinkSync(file);
    },
  };
}
