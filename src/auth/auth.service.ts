import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { availableParallelism } from 'node:os';
import { Env } from '../config/env';
import { Db } from '../database/db';
import { SignInBudget } from '../rate-limit/sign-in-budget';
import { BasicCredentials } from './basic-credentials';
import { CredentialCache } from './credential-cache';
import { FairQueue, QueueFullError } from './fair-queue';
import { DUMMY_HASH, verifyPassword, wireSecret } from './password';
import { Principal } from './principal';
import { SignInBusyError, SignInThrottledError } from './sign-in-errors';
import { UserCredentialRow, UserRepository } from './user.repository';

/** Hashes at once: one per core, and never more than the thread pool that runs them. */
function hashConcurrency(): number {
  const pool = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10) || 4;
  return Math.max(1, Math.min(pool, availableParallelism()));
}

/**
 * Signs tills and admins in. A credential verified recently is answered from memory; any
 * other must first get a place in its client address's budget (failures and verifications
 * in progress), and then a turn at the slow hash, where each address waits behind its own
 * requests only. So a flood of made-up credentials costs its sender, not the tills.
 */
@Injectable()
export class AuthService {
  readonly cache: CredentialCache;
  private readonly inFlight = new Map<string, Promise<Principal | null>>();
  private readonly hashing: FairQueue;

  constructor(
    private readonly db: Db,
    private readonly users: UserRepository,
    private readonly budget: SignInBudget,
    config: ConfigService<Env, true>,
  ) {
    this.cache = new CredentialCache(config.get('AUTH_CACHE_TTL_MS', { infer: true }));
    this.hashing = new FairQueue(
      hashConcurrency(),
      config.get('AUTH_QUEUE_LIMIT', { infer: true }),
      config.get('AUTH_QUEUE_PER_ADDRESS', { infer: true }),
    );
  }

  /**
   * Forgets a user's cached credentials on this instance: the till was deactivated or moved
   * to another group (other instances forget theirs within AUTH_CACHE_TTL_MS). Sign-ins of
   * that user already being verified neither cache their result nor are joined any more.
   */
  forgetCachedCredentials(userId: number): void {
    this.cache.forgetUser(userId);
    this.inFlight.clear();
  }

  /**
   * The principal for these credentials, or null (unknown user, wrong secret and a
   * malformed header alike). Throws SignInThrottledError / SignInBusyError when the address
   * may not have a password checked now.
   */
  async authenticate(
    credentials: BasicCredentials | 'malformed',
    address: string,
  ): Promise<Principal | null> {
    const wait = this.budget.lockedFor(address);
    if (wait > 0) throw new SignInThrottledError(wait, this.budget.limit);
    if (credentials === 'malformed') {
      await this.attempt(address, () => Promise.resolve(null));
      return null;
    }
    const { username, secret } = credentials;
    const key = this.cache.cacheKey(username, secret);
    const cached = this.cache.get(key);
    if (cached) return cached;
    // Single flight: requests that miss at once with the same credential share one hash.
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const verification = this.attempt(address, () =>
      this.verifyUncached(key, username, secret, address),
    ).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, verification);
    return verification;
  }

  /** Runs one verification inside the address's budget; a null result counts as a failure. */
  private async attempt(
    address: string,
    verify: () => Promise<Principal | null>,
  ): Promise<Principal | null> {
    const place = await this.budget.take(address);
    if (!place.allowed) throw new SignInThrottledError(place.retryAfterSec, this.budget.limit);
    let failed = false;
    try {
      const principal = await verify();
      failed = principal === null;
      return principal;
    } finally {
      await this.budget.settle(address, place, failed);
    }
  }

  private async verifyUncached(
    key: string,
    username: string,
    secret: string,
    address: string,
  ): Promise<Principal | null> {
    const generation = this.cache.generation;
    let user: UserCredentialRow | undefined;
    let valid: boolean;
    try {
      // The lookup waits its turn with the hash: a flood's lookups must not fill the pool.
      [user, valid] = await this.hashing.run(address, async () => {
        const row = await this.users.findActive(this.db, username);
        // Unknown users, and a form the user has no verifier for, are checked against a
        // dummy hash: every failure costs the same.
        const { form, digest } = wireSecret(secret);
        const stored = form === 'sha256' ? row?.password_hash_sha256 : row?.password_hash;
        const ok = await verifyPassword(stored ?? DUMMY_HASH, digest);
        return [row, ok] as const;
      });
    } catch (err) {
      if (err instanceof QueueFullError) throw new SignInBusyError();
      throw err;
    }
    if (!user || !valid) return null;

    const principal: Principal = {
      userId: user.id,
      orgId: user.org_id,
      username: user.username,
      permissions: {
        points: user.points_level,
        customer: user.customer_level,
        admin: user.admin_level,
      },
    };
    this.cache.set(key, principal, Date.now(), generation);
    return principal;
  }
}
