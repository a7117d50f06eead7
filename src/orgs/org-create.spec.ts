import { parseOrgCreateArgs, runOrgCreate, UsageError } from './org-create';

const args = (over: Record<string, string> = {}) =>
  Object.entries({ code: 'acme', name: 'Acme Stores', admin: 'acme.admin', ...over }).flatMap(
    ([k, v]) => [`--${k}`, v],
  );

describe('org:create command line', () => {
  it('takes --code, --name and --admin (also as --key=value), or --help', () => {
    expect(parseOrgCreateArgs(args())).toEqual({
      code: 'acme',
      name: 'Acme Stores',
      admin: 'acme.admin',
    });
    expect(parseOrgCreateArgs(['--code=a-1', '--name=A', '--admin=root@a'])).toEqual({
      code: 'a-1',
      name: 'A',
      admin: 'root@a',
    });
    expect(parseOrgCreateArgs(['--help'])).toBe('help');
    expect(parseOrgCreateArgs(['-h', '--code', 'BAD'])).toBe('help');
  });

  it.each([
    [['--code', 'acme'], /missing --name, --admin/],
    [args({ code: 'Acme' }), /--code "Acme": must be 1-40 of a-z/],
    [args({ code: 'a.b' }), /--code "a.b"/],
    [['--code=-a', '--name', 'A', '--admin', 'a.b'], /--code "-a"/],
    [['--code', '-a', '--name', 'A', '--admin', 'a.b'], /'--code' argument is ambiguous/],
    [args({ code: 'a'.repeat(41) }), /--code/],
    [args({ name: '' }), /--name must be 1-200 characters/],
    [args({ name: '   ' }), /--name must be 1-200 characters/],
    [args({ name: 'x'.repeat(201) }), /--name must be 1-200 characters/],
    [args({ name: 'A\nB' }), /--name must not hold control characters/],
    [args({ admin: 'acme admin' }), /--admin "acme admin": must be 1-128/],
    [args({ admin: 'a'.repeat(129) }), /--admin/],
    [[...args(), '--code', 'again'], /--code is given more than once/],
    [[...args(), '--force'], /Unknown option '--force'/],
    [[...args(), 'extra'], /Unexpected argument 'extra'/],
    [['--code'], /argument missing/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseOrgCreateArgs(argv)).toThrow(UsageError);
    expect(() => parseOrgCreateArgs(argv)).toThrow(message);
  });

  it('a bad command line exits 2 with the reason and where to read more, touching no database', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    // An unreachable database: the command must stop before it would try it.
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    expect(await runOrgCreate(args({ code: 'Bad!' }), env, io)).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(/^org:create: --code "Bad!".*\n.*--help/);
  });

  it('without ORG_ADMIN_PASSWORD and no terminal, refuses (exit 1) before opening the database', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => err.push(l) };
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    expect(await runOrgCreate(args(), env, io)).toBe(1);
    expect(err).toEqual([
      'org:create: no password for acme.admin: set ORG_ADMIN_PASSWORD, or run this on a terminal to be asked for it',
    ]);
    expect(await runOrgCreate(args(), { ...env, ORG_ADMIN_PASSWORD: 'short' }, io)).toBe(1);
    expect(err[1]).toBe('org:create: ORG_ADMIN_PASSWORD must be 8-200 characters');
  });

  it('asks twice on a terminal and asks again when the two differ; three misses refuse', async () => {
    const answers = ['first-pass', 'other-pass', 'short', 'good-pass', 'good-pass'];
    const asked: string[] = [];
    const err: string[] = [];
    const io = {
      out: () => undefined,
      err: (l: string) => err.push(l),
      askSecret: (q: string) => {
        asked.push(q);
        return Promise.resolve(answers.shift()!);
      },
    };
    // The database is unreachable: the prompt's outcome shows in what was asked and said.
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    expect(await runOrgCreate(args(), env, io)).toBe(1);
    expect(asked).toEqual([
      'Password for acme.admin: ',
      'Password (again): ',
      'Password for acme.admin: ',
      'Password for acme.admin: ',
      'Password (again): ',
    ]);
    expect(err[0]).toBe('the two passwords differ: try again');
    expect(err[1]).toBe('the password must be 8-200 characters: try again');
    expect(err[2]).toMatch(
      /^org:create: cannot reach the database at postgres:\/\/nobody@127\.0\.0\.1:1\/none: /,
    );
    expect(err.join('\n')).not.toMatch(/good-pass|\n\s+at /);

    answers.push('aaaa-aaaa', 'bbbb-bbbb', 'aaaa-aaaa', 'bbbb-bbbb', 'aaaa-aaaa', 'bbbb-bbbb');
    err.length = 0;
    expect(await runOrgCreate(args(), env, io)).toBe(1);
    expect(err.at(-1)).toBe('org:create: the two passwords differ; nothing was written');
  });
});
