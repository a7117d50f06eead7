import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule, AppOptions } from './app.module';
import { configureApp } from './app.setup';
import { withQuietStart } from './common/log-output';
import { WireExpressAdapter } from './capillary/wire-express.adapter';
import { Env } from './config/env';
import { NestExpressApplication } from '@nestjs/platform-express';

/** TRUST_PROXY as Express's `trust proxy` setting. */
export function trustProxy(value: string): boolean | number | string[] {
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((s) => s.trim());
}

/** Creates the application exactly as production runs it (main.ts and the tests share it). */
export async function createApp(
  env: Env,
  options: AppOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(options),
    new WireExpressAdapter(),
    { bodyParser: false, bufferLogs: true },
  );
  app.useLogger(withQuietStart(app.get(Logger)));
  app.set('trust proxy', trustProxy(env.TRUST_PROXY));
  app.disable('x-powered-by');
  // Responses are per-request (balances change); an ETag hash of each body buys nothing.
  app.set('etag', false);
  app.set('query parser', 'simple');
  configureApp(app, env.BODY_LIMIT);
  await app.init();
  return app;
}
