import { createHmac, randomBytes } from 'node:crypto';
import { Principal } from './principal';

const MAX_ENTRIES = 10_000;

/**
 * Successful verifications, so the slow hash is paid once per TTL. Keyed by an HMAC of
 * username and secret under a per-process random key: the secret is never held in clear and
 * a different secret for the same user simply misses.
 */
export class CredentialCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(private readonly ttlMs: number) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  cacheKey(username: string, secret: string): string {
    return createHmac('sha256', this.key)
      .update(username)
      .update('\0')
      .update(secret)
      .digest('base64');
  }

  get(cacheKey: string, now = Date.now()): Principal | undefined {
    const hit = this.entries.get(cacheKey);
    if (!hit) return undefined;
    if (hit.expiresAt <= now) {
      this.entries.delete(cacheKey);
      return undefined;
    }
    return hit.principal;
  }

  /**
   * Bumped whenever entries are forgotten: a verification that started before (and read the
   * user before the change) must not put its stale principal back.
   */
  generation = 0;

  set(
    cacheKey: string,
    principal: Principal,
    now = Date.now(),
    generation = this.generation,
  ): void {
    if (!this.enabled || generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(cacheKey, { principal, expiresAt: now + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
    this.generation += 1;
  }

  /** Forgets every cached credential of one user (of any secret). */
  forgetUser(userId: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.principal.userId === userId) this.entries.delete(key);
    }
    this.generation += 1;
  }
}
