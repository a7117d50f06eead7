import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { FixedWindowStorage, StorageRecord } from './fixed-window.storage';
import { SharedRedis } from './shared-redis';

/** Per-till counters: in Redis when REDIS_URL is set (one limit for every instance), else in memory. */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly memory = new FixedWindowStorage();
  private readonly shared?: ThrottlerStorageRedisService;

  constructor(private readonly redis: SharedRedis) {
    if (redis.client) this.shared = new ThrottlerStorageRedisService(redis.client);
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<StorageRecord> {
    return this.redis.either(
      () =>
        this.shared!.increment(this.redis.prefix + key, ttl, limit, blockDuration, throttlerName),
      () => this.memory.increment(key, ttl, limit, blockDuration, throttlerName),
    );
  }

  onApplicationShutdown(): void {
    this.memory.stop();
  }
}
