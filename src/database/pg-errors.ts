import { ConflictError } from '../common/errors';

/** SQLSTATE codes the service reacts to. */
export const PgError = {
  UNIQUE_VIOLATION: '23505',
  CHECK_VIOLATION: '23514',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  LOCK_NOT_AVAILABLE: '55P03',
  QUERY_CANCELED: '57014',
  ADMIN_SHUTDOWN: '57P01',
  CRASH_SHUTDOWN: '57P02',
  CANNOT_CONNECT_NOW: '57P03',
  FEATURE_NOT_SUPPORTED: '0A000',
} as const;

export function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e.driverError?.code ?? e.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A statement this connection prepared before a migration changed the types it returns:
 * PostgreSQL refuses to run it on this connection again. Another connection prepares it
 * afresh.
 */
export function isStalePreparedStatement(err: unknown): boolean {
  return (
    sqlState(err) === PgError.FEATURE_NOT_SUPPORTED &&
    err instanceof Error &&
    err.message.includes('cached plan must not change result type')
  );
}

export function constraintName(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const c = e.driverError?.constraint ?? e.constraint;
  return typeof c === 'string' ? c : undefined;
}

const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
]);

/** True when the database itself is unreachable or going away (not the query's fault). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = sqlState(err);
  if (code !== undefined) {
    if (code.startsWith('08')) return true;
    if (
      code === PgError.ADMIN_SHUTDOWN ||
      code === PgError.CRASH_SHUTDOWN ||
      code === PgError.CANNOT_CONNECT_NOW ||
      CONNECTION_ERRNOS.has(code)
    )
      return true;
  }
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|not queryable|connection timeout|terminating connection|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    message,
  );
}

/**
 * A unique violation whose constraint `messages` names becomes a ConflictError with its
 * message (any other unique violation: "Already exists"); every other error is rethrown.
 */
export const conflictOn = (err: unknown, messages: Record<string, string>): never => {
  if (sqlState(err) === PgError.UNIQUE_VIOLATION) {
    throw new ConflictError(messages[constraintName(err) ?? ''] ?? 'Already exists');
  }
  throw err;
};
