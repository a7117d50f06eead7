import { chmodSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { AppProcess, freePort, spawnApp, stopAllApps } from './support/chaos/app-process';
import { DEMO_ADMIN } from './support/credentials';
import { createTestDatabase } from './support/test-app';

// Issue 29: `npm start` tells the person who ran it where things are. On a terminal (or with
// LOG_FORMAT=pretty) its lines are for reading; on a pipe (containers, log collectors) they
// stay JSON, one object a line. Either way its first lines say where it serves, where the
// console is, where the data is, and, when it has just seeded the demo, how to sign in.
jest.setTimeout(180_000);

/** Waits until the process has written a line that `wanted` matches; all lines so far. */
async function linesUntil(app: AppProcess, wanted: RegExp): Promise<string[]> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const lines = app.firstLines();
    if (lines.some((l) => wanted.test(l))) return lines;
    await sleep(50);
  }
  throw new Error(`no line matched ${String(wanted)}:\n${app.firstLines().join('\n')}`);
}

describe('start-up logs', () => {
  let dir: string;
  let dataDir: string;
  let pgPort: number;
  const embedded = (extra: Record<string, string>) => ({
    EMBEDDED_PG_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    SEED_ON_START: 'auto',
    LOG_LEVEL: 'info',
    ...extra,
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'points-logs-'));
    chmodSync(dir, 0o711); // as root, the postgres user must reach the data folder
    dataDir = join(dir, 'postgres');
    pgPort = await freePort();
  });
  afterAll(async () => {
    await stopAllApps();
    await rm(dir, { recursive: true, force: true });
  });

  it('on a pipe: JSON lines that each parse; the first ones give the URL, the console, the data folder and the demo sign-ins it seeded', async () => {
    const app = await spawnApp(undefined, embedded({}));
    try {
      const lines = await linesUntil(app, /seeded the demo data/);
      const records = lines.map((l) => JSON.parse(l) as { msg: string; level: number });
      const messages = records.map((r) => r.msg);
      const url = `http://127.0.0.1:${app.port}`;
      const first = messages.slice(0, 12).join('\n');
      expect(first).toContain(`serving on 127.0.0.1:${app.port}: ${url}`);
      expect(first).toContain(`console: ${url}/console`);
      expect(first).toContain(`data folder: ${dataDir} (embedded PostgreSQL`);
      expect(first).toMatch(
        /seeded the demo data: sign in as demo\.admin \/ admin\.pass .* demo\.till \/ demo\.pass/,
      );
      // Nest's line per module and per route is no longer among them (debug now).
      expect(messages.filter((m) => /dependencies initialized|Mapped \{/.test(m))).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('LOG_FORMAT=pretty: lines for people, with the URL, the console and the data folder, and requests on one line', async () => {
    const app = await spawnApp(undefined, embedded({ LOG_FORMAT: 'pretty' }));
    try {
      const url = `http://127.0.0.1:${app.port}`;
      await linesUntil(app, /data folder:/);
      expect(
        (await request(app.url).get('/admin/config').set('Authorization', DEMO_ADMIN)).status,
      ).toBe(200);
      const lines = await linesUntil(app, /GET \/admin\/config 200/);
      for (const line of lines) expect(line.trimStart().startsWith('{')).toBe(false);
      const serving = lines.find((l) => l.includes('serving on'));
      expect(serving).toMatch(
        new RegExp(
          `^\\[[\\d:.]+\\] INFO: \\[Main\\] serving on 127\\.0\\.0\\.1:${app.port}: ${url}`,
        ),
      );
      expect(lines).toContainEqual(expect.stringContaining(`[Main] console: ${url}/console`));
      expect(lines).toContainEqual(expect.stringContaining(`data folder: ${dataDir}`));
      // Seeded by the first start, not by this one: no sign-ins printed.
      expect(lines.join('\n')).not.toContain('admin.pass');
      // The request line: method, path, status and time, and no credential.
      expect(lines).toContainEqual(
        expect.stringMatching(/INFO: request completed GET \/admin\/config 200 \d+ ms$/),
      );
      expect(lines.join('\n')).not.toContain(DEMO_ADMIN.slice('Basic '.length));
    } finally {
      await app.stop();
    }
  });

  it('with DATABASE_URL on a database with no org (SEED_ON_START=never): the masked URL and how to create the first org', async () => {
    const database = await createTestDatabase('start_logs');
    try {
      // A URL with a password in it, whether or not the server asks for one (trust auth).
      const url = new URL(database.url);
      if (!url.password) url.password = 'never-in-a-log-1';
      const app = await spawnApp(url.toString(), { SEED_ON_START: 'never', LOG_LEVEL: 'info' });
      try {
        const lines = await linesUntil(app, /no org yet/);
        const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
        const password = url.password;
        expect(messages).toContainEqual(
          expect.stringMatching(/^database: postgres:\/\/.*:\*\*\*@/),
        );
        expect(messages.join('\n')).not.toContain(`:${password}@`);
        expect(messages).toContainEqual(
          expect.stringContaining('create one with npm run org:create -- --code <code>'),
        );
      } finally {
        await app.stop();
      }
    } finally {
      await database.drop();
    }
  });
});
