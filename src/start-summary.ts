import type { SignIn } from './seed/seed';

/** What a start knows once it serves, for the first lines it prints. */
export interface StartFacts {
  /** HOST, as configured. */
  host: string;
  /** The port it listens on. */
  port: number;
  /** The embedded database: its data folder (absolute) and port; undefined with DATABASE_URL. */
  embedded?: { dataDir: string; port: number };
  /** DATABASE_URL with its password masked. */
  database?: string;
  /** The demo's admin and till, when this start seeded the demo data. */
  seeded?: { admin: SignIn; till: SignIn };
  /** The database holds no org yet. */
  empty: boolean;
}

/** Where a browser on this machine reaches the service: any-address listeners by localhost. */
function baseUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}

/**
 * The lines a start opens with, for the person who ran it: where it serves, where the
 * console is, where the data is, how to sign in to the demo it just seeded (public
 * passwords), or how to create a first org in an empty database.
 */
export function startSummary(f: StartFacts): { level: 'log' | 'warn'; text: string }[] {
  const base = baseUrl(f.host, f.port);
  const lines: { level: 'log' | 'warn'; text: string }[] = [
    { level: 'log', text: `serving on ${f.host}:${f.port}: ${base} (API docs: ${base}/docs)` },
    { level: 'log', text: `console: ${base}/console` },
  ];
  if (f.embedded) {
    lines.push({
      level: 'log',
      text: `data folder: ${f.embedded.dataDir} (embedded PostgreSQL on 127.0.0.1:${f.embedded.port}, stopped with this service)`,
    });
  } else if (f.database) {
    lines.push({ level: 'log', text: `database: ${f.database}` });
  }
  if (f.seeded) {
    const { admin, till } = f.seeded;
    lines.push({
      level: 'log',
      text:
        `seeded the demo data: sign in as ${admin.username} / ${admin.password} (console, /admin) ` +
        `or ${till.username} / ${till.password} (till API). These passwords are public ` +
        '(README, "Seed credentials"): for trying the service out only',
    });
  }
  if (f.empty) {
    lines.push({
      level: 'warn',
      text:
        'the database holds no org yet: create one with npm run org:create -- --code <code> ' +
        '--name "<name>" --admin <username> (docs/deployment.md)',
    });
  }
  return lines;
}
