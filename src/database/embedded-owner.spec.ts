import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimEmbeddedDatabase, EmbeddedDatabaseInUseError } from './embedded-owner';

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

  it('release leaves a claim that is no longer this process’s alone', () => {
    const claim = claimEmbeddedDatabase(dataDir);
    writeFileSync(`${dataDir}.owner`, JSON.stringify({ pid: 1, started: null }));
    claim.release();
    expect(existsSync(`${dataDir}.owner`)).toBe(true);
  });
});
