import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

// USER_HZ: /proc reports CPU time in ticks of 1/100 s on Linux.
const TICK_MS = 10;

/** Fields of /proc/<pid>/stat after the command name: [0] state, [1] ppid, [11] utime, … */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU time (user + system) of one process, in ms; null where /proc cannot tell. */
export function processCpuMs(pid) {
  try {
    const f = statFields(pid);
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/** User and system CPU time of one process so far, in ms; null where /proc cannot tell. */
export function processUserSystemMs(pid) {
  try {
    const f = statFields(pid);
    return { user: Number(f[11]) * TICK_MS, system: Number(f[12]) * TICK_MS };
  } catch {
    return null;
  }
}

/** CPU time of a process and all its children, live and exited, in ms. */
export function treeCpuMs(rootPid) {
  try {
    const root = statFields(rootPid);
    let ticks = Number(root[11]) + Number(root[12]) + Number(root[13]) + Number(root[14]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const f = statFields(entry);
        if (Number(f[1]) === rootPid) ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // the process went away meanwhile
      }
    }
    return ticks * TICK_MS;
  } catch {
    return null;
  }
}

/** The postmaster of the server behind `url`, when it runs on this machine. */
export async function postmasterPid(client) {
  const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
  try {
    return Number(statFields(rows[0].pid)[1]);
  } catch {
    return null;
  }
}

const TOP_STATEMENTS = `
  SELECT calls::int, round(mean_exec_time::numeric, 3)::float AS mean_ms,
         left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS query
    FROM pg_stat_statements
   WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND query NOT LIKE '%pg_stat_statements%'
   ORDER BY calls DESC`;

const FREE_CONNECTIONS = `
  SELECT current_setting('max_connections')::int
       - current_setting('superuser_reserved_connections')::int
       - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int AS free`;
const FREE_CONNECTIONS_WAIT_MS = 60_000;

/**
 * Readings taken around each measured part: CPU time of the service process and of the
 * whole PostgreSQL server (all its processes, so on a shared server it includes other
 * work), and, with pg_stat_statements, the statements each request cost.
 */
export async function createProbes(databaseUrl, { statements }) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'points-bench' });
  await client.connect();
  const pgPid = await postmasterPid(client);
  let statementsOn = false;
  if (statements) {
    try {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await client.query('SELECT pg_stat_statements_reset()');
      statementsOn = true;
    } catch (err) {
      console.warn(`pg_stat_statements unavailable (${err.message}); statements not counted`);
    }
  }
  return {
    /**
     * Before each scenario: the same starting state (dead row versions of the previous
     * scenario vacuumed) and enough free connections on the server for `connections`.
     */
    async settle(connections) {
      await client.query(
        'VACUUM (ANALYZE) wallet, lot, redemption, redemption_allocation, ledger_entry',
      );
      const deadline = Date.now() + FREE_CONNECTIONS_WAIT_MS;
      for (;;) {
        const {
          rows: [{ free }],
        } = await client.query(FREE_CONNECTIONS);
        if (free >= connections) return;
        if (Date.now() > deadline) {
          throw new Error(
            `the PostgreSQL server has ${free} free connections, the next scenario needs ${connections}: raise max_connections or stop other clients`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    },
    async before(servicePid) {
      if (statementsOn) await client.query('SELECT pg_stat_statements_reset()');
      return {
        at: performance.now(),
        service: servicePid ? processCpuMs(servicePid) : null,
        database: pgPid ? treeCpuMs(pgPid) : null,
      };
    },
    async after(start, servicePid, completed) {
      const perRequest = (end, begin) =>
        end === null || begin === null
          ? null
          : Math.round(((end - begin) / completed) * 1000) / 1000;
      const out = {
        cpuMsPerRequest: {
          service: servicePid ? perRequest(processCpuMs(servicePid), start.service) : undefined,
          database: pgPid ? perRequest(treeCpuMs(pgPid), start.database) : null,
        },
      };
      if (statementsOn) {
        const { rows } = await client.query(TOP_STATEMENTS);
        const total = rows.reduce((sum, r) => sum + r.calls, 0);
        out.statements = {
          perRequest: Math.round((total / completed) * 100) / 100,
          top: rows.slice(0, 15).map((r) => ({
            perRequest: Math.round((r.calls / completed) * 100) / 100,
            meanMs: r.mean_ms,
            query: r.query,
          })),
        };
      }
      return out;
    },
    close: () => client.end(),
  };
}
