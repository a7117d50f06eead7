import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { within } from './load-client';

/** A PostgreSQL server of the suite's own, which it may stop and start (postgres-server.mjs). */
export interface OwnPostgres {
  /** postgres://… of database `chaos_test` on it. */
  url: string;
  /** Fast shutdown (SIGINT to the postmaster); the data is kept. */
  stop(): Promise<void>;
  /** Starts the server again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops the server, removes its folder and ends the helper process. Safe to call twice. */
  close(): Promise<void>;
}

interface Message {
  event: string;
  url?: string;
  pid?: number;
  message?: string;
  log?: string[];
}

const SCRIPT = resolve(__dirname, 'postgres-server.mjs');

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/** Starts the helper and waits until its server is ready (initdb included: allow ~30 s). */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const child = spawn(process.execPath, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr?.on('data', (c: Buffer) => {
    stderr.push(c.toString('utf8'));
    if (stderr.length > 50) stderr.shift();
  });
  const waiting: ((m: Message) => void)[] = [];
  const pending: Message[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      return;
    }
    const next = waiting.shift();
    if (next) next(message);
    else pending.push(message);
  });
  const gone = exited(child).then(() => {
    throw new Error(`own-postgres helper exited (${child.exitCode}); ${stderr.join('')}`);
  });
  gone.catch(() => undefined);
  let postmaster: number | undefined;

  const nextMessage = (what: string, ms: number): Promise<Message> => {
    const first = pending.shift();
    const message = first
      ? Promise.resolve(first)
      : new Promise<Message>((done) => waiting.push(done));
    return within(Promise.race([message, gone]), ms, what);
  };

  const expectEvent = async (event: string, ms: number): Promise<Message> => {
    const message = await nextMessage(event, ms);
    if (message.event !== event) {
      throw new Error(
        `own-postgres: expected ${event}, got ${JSON.stringify(message)}; ${stderr.join('')}`,
      );
    }
    if (message.pid !== undefined) postmaster = message.pid;
    return message;
  };

  const command = async (name: string, event: string, ms: number): Promise<void> => {
    child.stdin?.write(`${name}\n`);
    await expectEvent(event, ms);
  };

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin?.write('exit\n');
      child.stdin?.end();
      await within(exited(child), 20_000, 'own-postgres exit').catch(async () => {
        // Last resort: the postmaster it started, then the helper itself, by their ids.
        if (postmaster !== undefined) {
          try {
            process.kill(postmaster, 'SIGINT');
          } catch {
            // already gone
          }
        }
        child.kill('SIGKILL');
        await within(exited(child), 5_000, 'own-postgres kill').catch(() => undefined);
      });
    }
  };

  try {
    const ready = await expectEvent('ready', 60_000);
    if (!ready.url) throw new Error('own-postgres: no url');
    return {
      url: ready.url,
      stop: () => command('stop', 'stopped', 20_000),
      start: () => command('start', 'started', 20_000),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
