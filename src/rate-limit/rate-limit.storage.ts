import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { Env } from '../config/env';
import { FixedWindowStorage, StorageRecord } from './fixed-window.storage';

/**
 * Counters in Redis when REDIS_URL is set (one limit shared by every instance), in memory
 * otherwise. If Redis stops answering, counting falls back to this instance's memory rather
 * than failing tills' requests; it returns to Redis as soon as Redis answers again.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitStorage.name);
  private readonly memory = new FixedWindowStorage();
  private readonly redis?: Redis;
  private readonly shared?: ThrottlerStorageRedisService;
  private degraded = false;
  private readonly prefix: string;

  constructor(config: ConfigService<Env, true>) {
    const url = config.get('REDIS_URL', { infer: true });
    this.prefix = config.get('REDIS_KEY_PREFIX', { infer: true });
    if (url) {
      this.redis = new Redis(url, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        connectTimeout: 2000,
        lazyConnect: false,
      });
      this.redis.on('error', () => undefined);
      this.shared = new ThrottlerStorageRedisService(this.redis);
    }
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<StorageRecord> {
    if (this.shared) {
      try {
        const record = await this.shared.increment(
          this.prefix + key,
          ttl,
          limit,
          blockDuration,
          throttlerName,
        );
        if (this.degraded) {
          this.degraded = false;
          this.logger.log('rate limit counters are shared through Redis again');
        }
        return record;
      } catch (err) {
        if (!this.degraded) {
          this.degraded = true;
          this.logger.warn(`Redis unavailable, counting rate limits in memory: ${String(err)}`);
        }
      }
    }
    return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onApplicationShutdown(): void {
    this.memory.stop();
    this.redis?.disconnect(false);
  }
}
