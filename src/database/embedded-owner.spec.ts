import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  claimEmbeddedDatabase,
  EmbeddedDatabaseInUseError,
  processExists,
  processRuns,
  startTimeOf,
} from './embedded-owner';

describe('claimEmbeddedDatabase', () => {
  let dir: string;
  let dataDir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'owner-spec-'));
    dataDir = join(dir, 'postgres');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('claims a free folder, refuses a second claim while held, and frees it on release', () => {
    const claim = claimEmbeddedDatabase(dataDir);
    const record = JSON.parse(readFileSync(`${dataDir}.owner`, 'utf8')) as { pid: number };
    expect(record.pid).toBe(process.pid);
    expect(() => claimEmbeddedDatabase(dataDir)).toThrow(EmbeddedDatabaseInUseError);
    expect(() => claimEmbeddedDatabase(dataDir)).toThrow(`pid ${process.pid}`);
    claim.release();
    expect(existsSync(`${dataDir}.owner`)).toBe(false);
    claimEmbeddedDatabase(dataDir).release();
  });

  it('takes over the claim of an owner that is gone (a pid no process has), or an unreadable one', () => {
    for (const stale of ['{"pid":2147483646,"started":null}', 'not json at all']) {
      writeFileSync(`${dataDir}.owner`, stale);
      const claim = claimEmbeddedDatabase(dataDir);
      const record = JSON.parse(readFileSync(`${dataDir}.owner`, 'utf8')) as { pid: number };
      expect(record.pid).toBe(process.pid);
      claim.release();
    }
  });

  it('a live pid whose start time differs (the pid was reused) is a stale claim', () => {
    writeFileSync(`${dataDir}.owner`, JSON.stringify({ pid: process.pid, started: '1' }));
    const claim = claimEmbeddedDatabase(dataDir);
    expect(readFileSync(`${dataDir}.owner`, 'utf8')).not.toContain('"started":"1"');
    claim.release();
  });

  it('an owner killed but not yet reaped (a zombie) runs no more: its claim is taken over', async () => {
    // `sleep 0` ends at once; its parent has become `sleep 5`, which never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const pid = await new Promise<number>((done) =>
        parent.stdout.once('data', (c: Buffer) => done(Number(c.toString().trim()))),
      );
      const state = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
      for (let i = 0; i < 200 && state() !== 'Z'; i++) await new Promise((r) => setTimeout(r, 10));
      expect(state()).toBe('Z');
      expect(processExists(pid)).toBe(true);
      expect(processRuns(pid)).toBe(false);

      writeFileSync(`${dataDir}.owner`, JSON.stringify({ pid, started: startTimeOf(pid) }));
      const claim = claimEmbeddedDatabase(dataDir);
      const record = JSON.parse(readFileSync(`${dataDir}.owner`, 'utf8')) as { pid: number };
      expect(record.pid).toBe(process.pid);
      claim.release();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('a link planted where the claim is drafted is removed, not written through', () => {
    const target = join(dir, 'elsewhere');
    writeFileSync(target, 'untouched');
    symlinkSync(target, `${dataDir}.owner.${process.pid}`);
    claimEmbeddedDatabase(dataDir).release();
    expect(readFileSync(target, 'utf8')).toBe('untouched');
  });

  it('release leaves a claim that is no longer this process’s alone', () => {
    const claim = claimEmbeddedDatabase(dataDir);
    writeFileSync(`${dataDir}.owner`, JSON.stringify({ pid: 1, started: null }));
    claim.release();
    expect(existsSync(`${dataDir}.owner`)).toBe(true);
  });
});
