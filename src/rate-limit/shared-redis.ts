import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { Env } from '../config/env';

/**
 * The Redis connection that rate-limit counters share between instances (REDIS_URL), when
 * there is one. If Redis stops answering, counting falls back to this instance's memory
 * rather than failing tills' requests; it returns to Redis as soon as Redis answers again.
 */
@Injectable()
export class SharedRedis implements OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  readonly client?: Redis;
  readonly prefix: string;
  private degraded = false;

  constructor(config: ConfigService<Env, true>) {
    const url = config.get('REDIS_URL', { infer: true });
    this.prefix = config.get('REDIS_KEY_PREFIX', { infer: true });
    if (url) {
      this.client = new Redis(url, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        connectTimeout: 2000,
        lazyConnect: false,
      });
      this.client.on('error', () => undefined);
    }
  }

  /**
   * `shared(redis)` when Redis is configured and answers; `local()` otherwise. With
   * `onlyLocal`, memory straight away (to finish something begun in memory).
   */
  async either<T>(
    shared: (redis: Redis) => Promise<T>,
    local: () => T,
    onlyLocal = false,
  ): Promise<T> {
    if (this.client && !onlyLocal) {
      try {
        const result = await shared(this.client);
        if (this.degraded) {
          this.degraded = false;
          this.logger.log('rate limit counters are shared through Redis again');
        }
        return result;
      } catch (err) {
        if (!this.degraded) {
          this.degraded = true;
          this.logger.warn(`Redis unavailable, counting rate limits in memory: ${String(err)}`);
        }
      }
    }
    return local();
  }

  onApplicationShutdown(): void {
    this.client?.disconnect(false);
  }
}
