import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, LevelWithSilent } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { LogFormat } from '../config/env';

/**
 * Human-readable lines for a person at a terminal (or when asked for); JSON lines, one
 * object each, everywhere else: pipes, containers and files are read by programs.
 */
export function prettyLogs(format: LogFormat, terminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && terminal);
}

interface LogRecord {
  [key: string]: unknown;
  context?: unknown;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/** `[Context] message`, and a request line's method, URL, status and time on the same line. */
function oneLine(log: LogRecord, messageKey: string): string {
  const context = typeof log.context === 'string' ? `[${log.context}] ` : '';
  const message = typeof log[messageKey] === 'string' ? log[messageKey] : '';
  const { req, res } = log;
  const request =
    req?.method !== undefined && res?.statusCode !== undefined
      ? ` ${req.method} ${req.url ?? ''} ${res.statusCode} ${log.responseTime ?? '?'} ms`
      : '';
  return `${context}${message}${request}`;
}

let pretty: DestinationStream | undefined;

/**
 * Where pretty lines go: each JSON line pino makes is turned into text and written at once
 * (pino-pretty's formatter, not its stream or worker thread), so the lines keep their
 * order, and a start that fails and exits at once still prints its last words. One per
 * process: the start's first lines and the application's share it.
 */
export function prettyDestination(): DestinationStream {
  if (!pretty) {
    const format = prettyFactory({
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,context,req,res,responseTime',
      messageFormat: (log, messageKey) => oneLine(log, messageKey),
    });
    pretty = { write: (line: string) => void process.stdout.write(format(line)) };
  }
  return pretty;
}

/**
 * The log of the start before the application (and its logger) exists: the embedded
 * database's lines, and a start that fails early. Same level and format as the
 * application's, so the first lines of a start look like all the others.
 */
export function startLogger(
  level: LevelWithSilent,
  destination?: DestinationStream,
): LoggerService {
  const log = destination ? pino({ level }, destination) : pino({ level });
  const write =
    (at: 'info' | 'warn' | 'error' | 'debug' | 'trace' | 'fatal') =>
    (message: unknown, ...params: unknown[]) => {
      // Nest passes the context last, and an error's stack (when it has one) before it.
      const context = params.length > 0 ? params[params.length - 1] : undefined;
      const fields: Record<string, unknown> = typeof context === 'string' ? { context } : {};
      if (message instanceof Error) {
        log[at]({ ...fields, err: message }, message.message);
        return;
      }
      if (params.length > 1 && typeof params[0] === 'string') fields.stack = params[0];
      log[at](fields, String(message));
    };
  return {
    log: write('info'),
    warn: write('warn'),
    error: write('error'),
    debug: write('debug'),
    verbose: write('trace'),
    fatal: write('fatal'),
  };
}

/** Nest's own contexts that write a line per module and per route as the application starts. */
const START_CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * The application's logger with Nest's start-up chatter (about ninety lines) moved to debug:
 * at info, the first lines of a start are then the ones that say where the service is.
 */
export function withQuietStart(inner: LoggerService): LoggerService {
  return {
    log: (message: unknown, ...params: unknown[]) => {
      const context = params[params.length - 1];
      if (typeof context === 'string' && START_CHATTER.has(context))
        inner.debug?.(message, ...params);
      else inner.log(message, ...params);
    },
    warn: (message: unknown, ...params: unknown[]) => {
      inner.warn(message, ...params);
    },
    error: (message: unknown, ...params: unknown[]) => {
      inner.error(message, ...params);
    },
    debug: (message: unknown, ...params: unknown[]) => {
      inner.debug?.(message, ...params);
    },
    verbose: (message: unknown, ...params: unknown[]) => {
      inner.verbose?.(message, ...params);
    },
    fatal: (message: unknown, ...params: unknown[]) => {
      inner.fatal?.(message, ...params);
    },
  };
}
