/*
 * The statements the database layer itself sends: transaction control, the migration lock,
 * and the embedded server's set-up. (Every other statement lives in a feature's repository.)
 */

export const TRANSACTION_SQL = {
  begin: 'BEGIN',
  /**
   * The connection's lock_timeout and statement_timeout, in milliseconds, when they are not
   * the ones wanted already: session settings (set_config's `false`), so they stay with the
   * connection once the transaction commits and the next transaction that wants the same
   * saves the statement. A rolled-back transaction undoes them, as it would a SET.
   */
  setTimeouts:
    "SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)",
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
} as const;

export const MIGRATION_LOCK_SQL = {
  lock: 'SELECT pg_advisory_lock($1)',
  unlock: 'SELECT pg_advisory_unlock($1)',
} as const;

export const EMBEDDED_SQL = {
  /** ALTER ROLE takes no parameters: the password comes escaped as a literal. */
  setPassword: (role: string, passwordLiteral: string) =>
    `ALTER ROLE ${role} PASSWORD ${passwordLiteral}`,
  databaseExists: 'SELECT 1 FROM pg_database WHERE datname = $1',
  /** The name is the service's own constant. */
  createDatabase: (name: string) => `CREATE DATABASE "${name}"`,
} as const;
