import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createSecretFile,
  readOrCreateSecretFile,
  readSecretFile,
  SecretFileError,
} from './secret-file';

describe('secret files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'secret-file-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a missing secret with mode 0600 and reads the same value back', () => {
    const file = join(dir, 'key');
    const first = readOrCreateSecretFile(file);
    expect(first.created).toBe(true);
    expect(first.value).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readOrCreateSecretFile(file)).toEqual({ value: first.value, created: false });
  });

  it('a link planted where the secret will be is refused, and the file it points to is untouched', () => {
    const target = join(dir, 'someone-elses-file');
    writeFileSync(target, 'original content', { mode: 0o600 });
    const planted = join(dir, 'postgres.password');
    symlinkSync(target, planted);

    expect(() => readOrCreateSecretFile(planted)).toThrow(SecretFileError);
    expect(() => readOrCreateSecretFile(planted)).toThrow(/symbolic link: refusing to follow it/);
    expect(() => createSecretFile(planted, 'x'.repeat(64))).toThrow(/symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('original content');
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('a dangling link is not written through: its target is never created', () => {
    const target = join(dir, 'would-be-created');
    const planted = join(dir, 'postgres.password.init');
    symlinkSync(target, planted);

    expect(() => createSecretFile(planted, 'secret')).toThrow(/symbolic link/);
    expect(() => readOrCreateSecretFile(planted)).toThrow(/symbolic link/);
    expect(existsSync(target)).toBe(false);
  });

  it('an existing file is never overwritten by a create', () => {
    const file = join(dir, 'key');
    writeFileSync(file, 'kept', { mode: 0o600 });
    expect(() => createSecretFile(file, 'replaced')).toThrow(
      expect.objectContaining({ code: 'EEXIST' }),
    );
    expect(readFileSync(file, 'utf8')).toBe('kept');
  });

  it('a file others can read, or that is not a regular file, is refused', () => {
    const file = join(dir, 'key');
    writeFileSync(file, 'k'.repeat(64), { mode: 0o600 });
    chmodSync(file, 0o640);
    expect(() => readSecretFile(file)).toThrow(/can be read by others \(mode 640\)/);

    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    expect(() => readSecretFile(fifo)).toThrow(/not a regular file/);
  });
});
