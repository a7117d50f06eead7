import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import { Env } from '../config/env';
import { RateLimitStorage } from './rate-limit.storage';
import { SharedRedis } from './shared-redis';
import { SignInBudget } from './sign-in-budget';

@Global()
@Module({
  providers: [SharedRedis, RateLimitStorage, SignInBudget],
  exports: [SharedRedis, RateLimitStorage, SignInBudget],
})
class RateLimitStorageModule {}

@Module({
  imports: [
    RateLimitStorageModule,
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [ConfigService, RateLimitStorage],
      useFactory: (config: ConfigService<Env, true>, storage: RateLimitStorage) => ({
        throttlers: [
          {
            name: 'default',
            ttl: 60_000,
            limit: config.get('RATE_LIMIT_PER_MINUTE', { infer: true }),
          },
        ],
        storage,
      }),
    }),
  ],
  exports: [ThrottlerModule, RateLimitStorageModule],
})
export class RateLimitModule {}
