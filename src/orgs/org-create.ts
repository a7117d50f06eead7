import { parseArgs } from 'node:util';
import { passwordVerifiers, SecretForm } from '../auth/password';
import { ConflictError } from '../common/errors';
import { SecretFileError } from '../common/secret-file';
import { PromptCancelledError } from '../common/secret-prompt';
import { EnvError, validateEnv } from '../config/env';
import { Sql } from '../database/db';
import { EmbeddedDatabaseInUseError } from '../database/embedded-owner';
import { EmbeddedStartError } from '../database/embedded-postgres';
import { conflictOn, isDatabaseUnavailable, sqlState } from '../database/pg-errors';
import { inMigratedTransaction, openToolDatabase } from '../database/tool-database';
import { orgSetupRepositories, setUpOrg } from './org-setup';

export const ORG_CREATE_USAGE = `Usage: npm run org:create -- --code <code> --name "<name>" --admin <username>

Creates an organisation in one transaction: its config (the defaults, demo_mode off), a
"Default" program (ratio 1, whole points), the access groups "Default" (for tills) and
"Admin", and its first admin. Pending migrations are applied first.

  --code <code>        the org's code: 1-40 of a-z 0-9 _ -, starting with a letter or a
                       digit; the usernames its admins create start with "<code>."
  --name <name>        the org's name: 1-200 characters
  --admin <username>   the first admin's username: 1-128 of letters, digits, _ . @ -
  -h, --help           this text

The admin's password (8-200 characters) is read from ORG_ADMIN_PASSWORD; without it, it is
asked for on a terminal, and refused anywhere else. It is never printed.

The database is DATABASE_URL's; without it, the embedded one in EMBEDDED_PG_DIR: that of a
running \`npm start\` (reached on EMBEDDED_PG_PORT), or started for the while and stopped.
`;

/** What the operator asked for, checked. */
export interface NewOrg {
  code: string;
  name: string;
  admin: string;
}

/** The command line cannot be carried out as given; the message says why. */
export class UsageError extends Error {}

// No dot in a code: an org's new usernames are `<code>.<rest>`, and with dots org `a`'s
// prefix `a.` would also cover the names of an org `a.b`.
const CODE = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** As the admin API's rule for a till's username. */
const USERNAME = /^[\w.@-]{1,128}$/;
const CONTROL = /\p{Cc}/u;

/** The command line as a new org, or a request for help; a UsageError says what is wrong. */
export function parseOrgCreateArgs(argv: string[]): NewOrg | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, tokens } = parsed;
  if (values.help) return 'help';
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    if (seen.has(t.name)) throw new UsageError(`--${t.name} is given more than once`);
    seen.add(t.name);
  }
  const missing = (['code', 'name', 'admin'] as const).filter((k) => values[k] === undefined);
  if (missing.length > 0)
    throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}`);
  const { code, name, admin } = values as Required<typeof values>;
  if (!CODE.test(code))
    throw new UsageError(
      `--code ${JSON.stringify(code)}: must be 1-40 of a-z, 0-9, _ and -, starting with a letter or a digit`,
    );
  const length = [...name].length;
  if (length < 1 || length > 200 || name.trim() === '')
    throw new UsageError('--name must be 1-200 characters, not only spaces');
  if (CONTROL.test(name))
    throw new UsageError('--name must not hold control characters (tabs, line breaks, …)');
  if (!USERNAME.test(admin))
    throw new UsageError(
      `--admin ${JSON.stringify(admin)}: must be 1-128 of letters, digits, _ . @ -`,
    );
  return { code, name, admin };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      code: { type: 'string' },
      name: { type: 'string' },
      admin: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
    tokens: true,
  });
}

/** As the admin API's rule for a password. */
function checkPassword(password: string, source: string): string | undefined {
  const length = [...password].length;
  if (length < 8 || length > 200) return `${source} must be 8-200 characters`;
  return undefined;
}

/**
 * Writes the org, its config, program and access groups, and its admin, on `tx` (one
 * transaction: a taken code or username leaves nothing behind).
 */
export async function createOrgWithAdmin(
  tx: Sql,
  org: NewOrg,
  verifiers: Record<SecretForm, string>,
  repos = orgSetupRepositories(),
): Promise<{ orgId: number }> {
  try {
    const { orgId } = await setUpOrg(
      tx,
      {
        code: org.code,
        name: org.name,
        demoMode: false,
        accessGroups: ['Default', 'Admin'],
        users: [{ username: org.admin, verifiers, group: 'Admin' }],
      },
      repos,
    );
    return { orgId };
  } catch (err) {
    return conflictOn(err, {
      org_code_key: `an org with the code "${org.code}" exists already`,
      app_user_username_key:
        `the username "${org.admin}" is taken (usernames are unique across all orgs, ` +
        'as Basic auth names no org)',
    });
  }
}

/** Where the command talks to the person or script that ran it. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  /** Asks for a secret without echo; absent where there is no terminal to ask on. */
  askSecret?: (question: string) => Promise<string>;
}

async function adminPassword(
  org: NewOrg,
  env: Record<string, string | undefined>,
  io: CommandIo,
): Promise<string> {
  const given = env.ORG_ADMIN_PASSWORD;
  if (given !== undefined && given !== '') {
    const problem = checkPassword(given, 'ORG_ADMIN_PASSWORD');
    if (problem) throw new UsageError(problem);
    return given;
  }
  const ask = io.askSecret;
  if (!ask)
    throw new UsageError(
      `no password for ${org.admin}: set ORG_ADMIN_PASSWORD, or run this on a terminal to be asked for it`,
    );
  for (let attempt = 1; ; attempt++) {
    const password = await ask(`Password for ${org.admin}: `);
    const problem = checkPassword(password, 'the password');
    const again = problem === undefined ? await ask('Password (again): ') : undefined;
    if (problem === undefined && again === password) return password;
    const why = problem ?? 'the two passwords differ';
    if (attempt === 3) throw new UsageError(`${why}; nothing was written`);
    io.err(`${why}: try again`);
  }
}

/** Errors whose message says all there is to say: printed as they are, without a trace. */
const SELF_EXPLAINED = [
  UsageError,
  ConflictError,
  EnvError,
  SecretFileError,
  EmbeddedDatabaseInUseError,
  EmbeddedStartError,
];

function describe(err: unknown, safeUrl: string | undefined): string {
  if (err instanceof PromptCancelledError) return `${err.message}; nothing was written`;
  if (SELF_EXPLAINED.some((type) => err instanceof type)) return (err as Error).message;
  // A refused connection to several addresses comes as an AggregateError with no message.
  const message = (err instanceof Error && err.message) || sqlState(err) || String(err);
  if (safeUrl !== undefined && (isDatabaseUnavailable(err) || isConnectionRefusal(err)))
    return `cannot reach the database at ${safeUrl}: ${message}`;
  return `failed: ${message}`;
}

/** Refused at connection: wrong password, no such database or role (SQLSTATE 28xxx, 3D000). */
const isConnectionRefusal = (err: unknown): boolean => {
  const code = sqlState(err);
  return code !== undefined && (code.startsWith('28') || code === '3D000');
};

/**
 * `npm run org:create`: the whole command, its exit status returned (0 done, 1 refused or
 * failed, 2 a bad command line). On success it prints one line; the password never.
 */
export async function runOrgCreate(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CommandIo,
): Promise<number> {
  let org: NewOrg;
  try {
    const parsed = parseOrgCreateArgs(argv);
    if (parsed === 'help') {
      io.out(ORG_CREATE_USAGE.trimEnd());
      return 0;
    }
    org = parsed;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`org:create: ${err.message}`);
    io.err('Run `npm run org:create -- --help` for the options.');
    return 2;
  }
  let safeUrl: string | undefined;
  try {
    const config = validateEnv(env);
    const verifiers = await passwordVerifiers(await adminPassword(org, env, io));
    const database = await openToolDatabase(config, (line) => io.err(line));
    safeUrl = database.safeUrl;
    let orgId: number;
    try {
      ({ orgId } = await inMigratedTransaction(database.url, (tx) =>
        createOrgWithAdmin(tx, org, verifiers),
      ));
    } finally {
      await database.release();
    }
    io.out(`created org ${org.code} (id ${orgId}) with admin ${org.admin}`);
    return 0;
  } catch (err) {
    const nothing = err instanceof ConflictError ? ': nothing was written' : '';
    io.err(`org:create: ${describe(err, safeUrl)}${nothing}`);
    return 1;
  }
}
