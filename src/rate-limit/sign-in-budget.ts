import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env } from '../config/env';
import { SharedRedis } from './shared-redis';
import { MemorySignInTally, SIGN_IN_SCRIPTS, SignInSettled, SignInTake } from './sign-in-tally';

const WINDOW_MS = 60_000;

/** A refused sign-in attempt: how long the address should wait. */
export interface SignInRefusal {
  allowed: false;
  retryAfterSec: number;
}

/** A place in the budget, to be settled in the store that gave it. */
export interface SignInPlace {
  allowed: true;
  inMemory: boolean;
}

const MAX_KNOWN_LOCKS = 10_000;

/**
 * The per-client-address budget for sign-ins that need a password verified
 * (AUTH_FAILURES_PER_MINUTE): failures and verifications in progress, taken before any
 * hash is computed. Shared through Redis like the per-till limits.
 */
@Injectable()
export class SignInBudget implements OnApplicationShutdown {
  readonly limit: number;
  private readonly memory = new MemorySignInTally();
  /**
   * Addresses this instance has seen run out of budget, until their window ends. Every
   * wrong guess is a credential-cache miss and meets the shared budget, so knowing locks
   * from this instance's own attempts is enough to refuse cached sign-ins from them too.
   */
  private readonly locked = new Map<string, number>();

  constructor(
    private readonly redis: SharedRedis,
    config: ConfigService<Env, true>,
  ) {
    this.limit = config.get('AUTH_FAILURES_PER_MINUTE', { infer: true });
  }

  /** Seconds the address must still wait after too many failures; 0 when it may sign in. */
  lockedFor(address: string, now = Date.now()): number {
    const until = this.locked.get(address);
    if (until === undefined) return 0;
    if (until <= now) {
      this.locked.delete(address);
      return 0;
    }
    return Math.ceil((until - now) / 1000);
  }

  /** One verification's place in the budget, or how long to wait for one. */
  async take(address: string): Promise<SignInPlace | SignInRefusal> {
    let inMemory = true;
    const result = await this.redis.either(
      async (redis): Promise<SignInTake> => {
        const [allowed, failures, resetMs] = (await redis.eval(
          SIGN_IN_SCRIPTS.take,
          1,
          this.key(address),
          WINDOW_MS,
          this.limit,
        )) as [number, number, number];
        inMemory = false;
        return { allowed: allowed === 1, failures, resetMs };
      },
      () => this.memory.take(address, WINDOW_MS, this.limit),
    );
    if (result.allowed) return { allowed: true, inMemory };
    if (result.failures >= this.limit) {
      this.remember(address, result.resetMs);
      return { allowed: false, retryAfterSec: Math.max(1, Math.ceil(result.resetMs / 1000)) };
    }
    // Full only of verifications still running: a place frees up as soon as they end.
    return { allowed: false, retryAfterSec: 1 };
  }

  /** Ends a verification taken with `take`: a failure stays counted, anything else does not. */
  async settle(address: string, place: SignInPlace, failed: boolean): Promise<void> {
    const result = await this.redis.either(
      async (redis): Promise<SignInSettled> => {
        const [failures, resetMs] = (await redis.eval(
          SIGN_IN_SCRIPTS.settle,
          1,
          this.key(address),
          WINDOW_MS,
          failed ? 1 : 0,
        )) as [number, number];
        return { failures, resetMs };
      },
      () => this.memory.settle(address, failed, WINDOW_MS),
      // A place taken in memory (Redis was away) is given back there, or it would stay taken.
      place.inMemory,
    );
    if (result.failures >= this.limit) this.remember(address, result.resetMs);
  }

  private remember(address: string, resetMs: number): void {
    const now = Date.now();
    // Addresses are chosen by whoever sends requests: drop ended locks before growing further.
    if (this.locked.size >= MAX_KNOWN_LOCKS) {
      for (const [known, until] of this.locked) if (until <= now) this.locked.delete(known);
    }
    if (this.locked.size < MAX_KNOWN_LOCKS) this.locked.set(address, now + resetMs);
  }

  private key(address: string): string {
    return `${this.redis.prefix}signin:${address}`;
  }

  onApplicationShutdown(): void {
    this.memory.stop();
  }
}
