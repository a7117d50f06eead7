import './runtime';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { prettyDestination, prettyLogs, startLogger, withQuietStart } from './common/log-output';
import { maskDatabaseUrl } from './common/redact';
import { SecretFileError } from './common/secret-file';
import { Env, EnvError, validateEnv } from './config/env';
import { Db } from './database/db';
import { EmbeddedDatabaseInUseError } from './database/embedded-owner';
import {
  EmbeddedDatabase,
  EmbeddedStartError,
  startEmbeddedPostgres,
} from './database/embedded-postgres';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import { demoSignIns, seedDemo } from './seed/seed';
import { OrgRepository } from './orgs/org.repository';
import { startSummary } from './start-summary';

const logger = new Logger('Main');

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Whether this start seeded the demo data (now, not before). */
async function seedIfWanted(db: Db, env: Env, embedded: boolean): Promise<boolean> {
  if (env.SEED_ON_START === 'never') return false;
  if (env.SEED_ON_START === 'auto') {
    if (!embedded) return false;
    if ((await new OrgRepository().count(db)) > 0) return false;
  }
  const { created } = await db.transaction((tx) => seedDemo(tx));
  return created;
}

async function main(): Promise<void> {
  let env: Env;
  try {
    env = validateEnv(process.env);
  } catch (err) {
    if (err instanceof EnvError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // Everything logged from here on is in the one format of this start (LOG_FORMAT).
  const terminal = process.stdout.isTTY === true;
  Logger.overrideLogger(
    withQuietStart(
      startLogger(
        env.LOG_LEVEL,
        prettyLogs(env.LOG_FORMAT, terminal) ? prettyDestination() : undefined,
      ),
    ),
  );

  let embedded: EmbeddedDatabase | undefined;
  if (!env.DATABASE_URL) {
    const started = Date.now();
    embedded = await startEmbeddedPostgres({
      dataDir: env.EMBEDDED_PG_DIR,
      port: env.EMBEDDED_PG_PORT,
      database: 'points',
      log:
        env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace' ? (l) => logger.debug(l) : undefined,
      notice: (l) => logger.log(l),
    });
    process.env.DATABASE_URL = embedded.url;
    logger.log(
      `embedded PostgreSQL ready in ${Date.now() - started} ms (data in ${resolve(env.EMBEDDED_PG_DIR)}, ` +
        `${embedded.safeUrl}, password in ${embedded.passwordFile})`,
    );
  }

  if (env.TRUST_PROXY === 'true') {
    logger.warn(
      "TRUST_PROXY=true believes every client's X-Forwarded-For: anyone can choose the address " +
        'their failed sign-ins count against. Name your proxies instead (e.g. TRUST_PROXY=10.0.0.0/8).',
    );
  }
  if (env.METRICS_ENABLED && !env.METRICS_TOKEN && !isLoopback(env.HOST)) {
    logger.warn(
      `METRICS_TOKEN is not set: /metrics answers anyone who reaches ${env.HOST}:${env.PORT}. ` +
        'Set it (at least 16 characters) and give it to the scraper only.',
    );
  }
  let app: NestExpressApplication;
  let server: Server;
  let seeded: boolean;
  let empty: boolean;
  try {
    app = await createApp(env, { terminal });
    seeded = await seedIfWanted(app.get(Db), env, embedded !== undefined);
    empty = !seeded && (await new OrgRepository().count(app.get(Db))) === 0;
    server = await app.listen(env.PORT, env.HOST);
  } catch (err) {
    // A start that fails (the port is taken, …) stops only the database it started itself.
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
  const summary = startSummary({
    host: env.HOST,
    port: (server.address() as AddressInfo).port,
    embedded: embedded && { dataDir: resolve(env.EMBEDDED_PG_DIR), port: env.EMBEDDED_PG_PORT },
    database: embedded ? undefined : maskDatabaseUrl(env.DATABASE_URL ?? ''),
    seeded: seeded ? demoSignIns() : undefined,
    empty,
  });
  for (const { level, text } of summary) logger[level](text);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal}: draining in-flight requests`);
    const force = setTimeout(() => {
      logger.warn('shutdown timed out; closing remaining connections');
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }, env.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    app
      .close()
      .then(() => embedded?.stop())
      .then(() => {
        logger.log('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error(`shutdown failed: ${String(err)}`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  // Nest holds every log line back until the application has started (bufferLogs): a start
  // that failed on the way (its port taken, the database unreachable) would otherwise exit
  // without a word, this error included.
  Logger.flush();
  // A refusal that names its own remedy needs no stack trace.
  if (
    err instanceof SecretFileError ||
    err instanceof EmbeddedDatabaseInUseError ||
    err instanceof EmbeddedStartError
  )
    logger.error(err.message);
  else if (err instanceof Error) logger.error(err.stack ?? err.message);
  // Something threw a value that is not an Error: say so rather than print a bare "undefined".
  else logger.error(`the start failed with ${inspect(err)}, which says nothing more`);
  process.exit(1);
});
