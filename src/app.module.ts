import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { BasicAuthGuard, PermissionGuard, SafeMethodGuard } from './auth/guards';
import { Clock } from './common/clock';
import { CommonModule } from './common/common.module';
import { prettyDestination, prettyLogs } from './common/log-output';
import { maskUrl } from './common/redact';
import { AppConfigModule } from './config/config.module';
import { Env } from './config/env';
import { CustomersModule } from './customers/customers.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LedgerModule } from './ledger/ledger.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { MetricsModule } from './metrics/metrics.module';
import { OrgsModule } from './orgs/orgs.module';
import { ProgramsModule } from './programs/programs.module';
import { RedemptionsModule } from './redemptions/redemptions.module';
import { ReversalsModule } from './reversals/reversals.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { TillThrottlerGuard } from './rate-limit/till-throttler.guard';

/** What a caller of createApp may supply instead of the production defaults. */
export interface AppOptions {
  /** The notion of "now" every expiry decision reads (tests move theirs forward). */
  clock?: Clock;
  /** Standard output is a terminal (main.ts): LOG_FORMAT=auto then means pretty lines. */
  terminal?: boolean;
}

const REQUEST_LOG_LEVELS = new Set<string>(['trace', 'debug', 'info']);

@Module({})
export class AppModule {
  /** Built at call time so that the environment it validates is the one of this start. */
  static forRoot(options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<Env, true>) => {
            const http = {
              level: config.get('LOG_LEVEL', { infer: true }),
              // The id was set (and echoed as X-Cap-Requestid) by the first middleware.
              genReqId: (req: IncomingMessage) => req.id ?? '',
              redact: {
                paths: [
                  'req.headers.authorization',
                  'req.headers.cookie',
                  'req.headers["idempotency-key"]',
                ],
                censor: '[redacted]',
              },
              serializers: {
                req: (req: { id: string; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: maskUrl(req.url),
                }),
              },
              autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
            };
            const pretty = prettyLogs(
              config.get('LOG_FORMAT', { infer: true }),
              !!options.terminal,
            );
            return {
              // Request lines are logged at info. Above that level the per-request logger (and
              // the async context it rides on, which taxes every promise) would log nothing.
              forRoutes: REQUEST_LOG_LEVELS.has(config.get('LOG_LEVEL', { infer: true }))
                ? undefined
                : [],
              pinoHttp: pretty ? [http, prettyDestination()] : http,
            };
          },
        }),
        CommonModule.forRoot(options.clock),
        DatabaseModule,
        MetricsModule,
        RateLimitModule,
        AuthModule,
        HealthModule,
        CustomersModule,
        ProgramsModule,
        LedgerModule,
        IdempotencyModule,
        OrgsModule,
        RedemptionsModule,
        ReversalsModule,
        AdminModule,
      ],
      providers: [
        // Order matters: no writes by HEAD/OPTIONS → authentication (with its per-address
        // budget) → rate limit per signed-in till → access group.
        { provide: APP_GUARD, useClass: SafeMethodGuard },
        { provide: APP_GUARD, useClass: BasicAuthGuard },
        { provide: APP_GUARD, useClass: TillThrottlerGuard },
        { provide: APP_GUARD, useClass: PermissionGuard },
      ],
    };
  }
}
