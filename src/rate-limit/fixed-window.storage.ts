import { ThrottlerStorage } from '@nestjs/throttler';

/** What a throttler storage answers for one hit. */
export type StorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  hits: number;
  /** When the current window ends (ms since the epoch). */
  endsAt: number;
  /** Until when the key is blocked; 0 when it never was. */
  blockedUntil: number;
}

const SWEEP_EVERY_MS = 60_000;

/**
 * The in-memory counterpart of the Redis storage's script (@nest-lab/throttler-storage-redis):
 * a fixed window per key, and a block of `blockDuration` once the window's hits pass the
 * limit. Constant time per request, where @nestjs/throttler's own memory storage keeps and
 * filters a timestamp per hit (a cost that grows with the limit). Ended windows are swept
 * once a minute, so keys from one-off callers do not accumulate.
 */
export class FixedWindowStorage {
  private readonly windows = new Map<string, Window>();
  private sweeper?: NodeJS.Timeout;

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
    now = Date.now(),
  ): StorageRecord {
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_EVERY_MS).unref();
    const id = `${key}:${throttlerName}`;
    let w = this.windows.get(id);
    if (!w || w.endsAt <= now) {
      w = { hits: 0, endsAt: now + ttl, blockedUntil: w?.blockedUntil ?? 0 };
      this.windows.set(id, w);
    }
    w.hits += 1;
    let isBlocked = w.blockedUntil > now;
    if (!isBlocked && w.hits > limit) {
      w.blockedUntil = now + blockDuration;
      isBlocked = true;
    }
    return {
      totalHits: w.hits,
      timeToExpire: Math.ceil((w.endsAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((w.blockedUntil - now) / 1000) : 0,
    };
  }

  /** Number of keys held (for tests). */
  get size(): number {
    return this.windows.size;
  }

  sweep(now = Date.now()): void {
    for (const [id, w] of this.windows) {
      if (w.endsAt <= now && w.blockedUntil <= now) this.windows.delete(id);
    }
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
