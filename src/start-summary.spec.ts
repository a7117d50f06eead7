import { startSummary } from './start-summary';

const texts = (lines: { text: string }[]) => lines.map((l) => l.text);

describe('startSummary', () => {
  it('embedded and just seeded: where it serves, the console, the data folder, the demo sign-ins', () => {
    const lines = startSummary({
      host: '127.0.0.1',
      port: 3000,
      embedded: { dataDir: '/srv/points/.data/postgres', port: 54329 },
      seeded: {
        admin: { username: 'demo.admin', password: 'admin.pass' },
        till: { username: 'demo.till', password: 'demo.pass' },
      },
      empty: false,
    });
    expect(lines.every((l) => l.level === 'log')).toBe(true);
    expect(texts(lines)).toEqual([
      'serving on 127.0.0.1:3000: http://127.0.0.1:3000 (API docs: http://127.0.0.1:3000/docs)',
      'console: http://127.0.0.1:3000/console',
      'data folder: /srv/points/.data/postgres (embedded PostgreSQL on 127.0.0.1:54329, stopped with this service)',
      expect.stringMatching(
        /^seeded the demo data: sign in as demo\.admin \/ admin\.pass .* or demo\.till \/ demo\.pass .*public/,
      ),
    ]);
  });

  it('on every address, with DATABASE_URL and no org yet: localhost, the masked URL, how to create an org', () => {
    const lines = startSummary({
      host: '0.0.0.0',
      port: 8080,
      database: 'postgres://app:***@db:5432/points',
      empty: true,
    });
    expect(texts(lines).slice(0, 3)).toEqual([
      'serving on 0.0.0.0:8080: http://localhost:8080 (API docs: http://localhost:8080/docs)',
      'console: http://localhost:8080/console',
      'database: postgres://app:***@db:5432/points',
    ]);
    expect(lines[3]).toEqual({
      level: 'warn',
      text: expect.stringContaining('no org yet: create one with npm run org:create -- --code'),
    });
    expect(texts(startSummary({ host: '::1', port: 1, empty: false }))[1]).toBe(
      'console: http://[::1]:1/console',
    );
  });
});
