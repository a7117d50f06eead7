import { startFailure } from './embedded-postgres';

describe('startFailure: why the embedded server did not come up, and what to do', () => {
  const dir = '/srv/points/.data/postgres';

  it('names the lock file case and says when removing it is safe', () => {
    const message = startFailure(dir, 54329, [
      'LOG:  starting PostgreSQL 17',
      '2026-01-01 00:00:00 UTC [42] FATAL:  lock file "postmaster.pid" already exists',
      'HINT:  Is another postmaster (PID 4242) running in data directory "/srv/points/.data/postgres"?',
    ]);
    expect(message).toContain(
      `The embedded PostgreSQL in ${dir} (port 54329) exited before it was ready`,
    );
    expect(message).toContain('FATAL:  lock file "postmaster.pid" already exists');
    expect(message).toContain(`If no postgres process runs from ${dir}, remove the lock file`);
  });

  it('names a taken port and EMBEDDED_PG_PORT', () => {
    const message = startFailure(dir, 54329, [
      'LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
      'FATAL:  could not create any TCP/IP sockets',
    ]);
    expect(message).toContain('Port 54329 is taken');
    expect(message).toContain('EMBEDDED_PG_PORT');
  });

  it('with no error line, quotes the last lines rather than nothing', () => {
    expect(startFailure(dir, 1, ['LOG:  a', 'LOG:  b'])).toContain('It said: LOG:  a | LOG:  b.');
    expect(startFailure(dir, 1, [])).toContain('It said: (nothing).');
    expect(startFailure(dir, 1, [])).toContain('LOG_LEVEL=debug');
  });
});
