/** What a client address has used of its sign-in budget in the current window. */
export interface SignInTake {
  /** Whether this attempt may go on to verify a password. */
  allowed: boolean;
  /** Failed sign-ins from the address in the window. */
  failures: number;
  /** Milliseconds until the window ends. */
  resetMs: number;
}

export interface SignInSettled {
  failures: number;
  resetMs: number;
}

interface Tally {
  failures: number;
  inFlight: number;
  endsAt: number;
}

const SWEEP_EVERY_MS = 60_000;

/**
 * Per client address and fixed window: failed sign-ins plus sign-ins being verified. An
 * attempt is taken before any hash is computed and settled when its verification ends: a
 * failure stays counted, a success or an attempt that never hashed gives its place back.
 * The in-memory twin of SIGN_IN_SCRIPTS (Redis), with the same answers.
 */
export class MemorySignInTally {
  private readonly tallies = new Map<string, Tally>();
  private sweeper?: NodeJS.Timeout;

  take(key: string, windowMs: number, limit: number, now = Date.now()): SignInTake {
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_EVERY_MS).unref();
    let t = this.tallies.get(key);
    if (!t || t.endsAt <= now) {
      t = { failures: 0, inFlight: 0, endsAt: now + windowMs };
      this.tallies.set(key, t);
    }
    const allowed = t.failures + t.inFlight < limit;
    if (allowed) t.inFlight++;
    return { allowed, failures: t.failures, resetMs: t.endsAt - now };
  }

  /** Ends an attempt; returns the failures now counted in the window and its end. */
  settle(key: string, failed: boolean, windowMs: number, now = Date.now()): SignInSettled {
    let t = this.tallies.get(key);
    if (!t || t.endsAt <= now) {
      if (!failed) return { failures: 0, resetMs: 0 };
      t = { failures: 0, inFlight: 0, endsAt: now + windowMs };
      this.tallies.set(key, t);
    } else if (t.inFlight > 0) {
      t.inFlight--;
    }
    if (failed) t.failures++;
    return { failures: t.failures, resetMs: t.endsAt - now };
  }

  sweep(now = Date.now()): void {
    for (const [key, t] of this.tallies) if (t.endsAt <= now) this.tallies.delete(key);
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}

/** The same operations as one Redis script each, so instances share one budget per address. */
export const SIGN_IN_SCRIPTS = {
  /** KEYS[1] the address's hash; ARGV window ms, limit → {allowed 0|1, failures, reset ms}. */
  take: `
    local f = tonumber(redis.call('HGET', KEYS[1], 'f') or '0')
    local i = tonumber(redis.call('HGET', KEYS[1], 'i') or '0')
    local ttl = redis.call('PTTL', KEYS[1])
    if ttl < 0 then
      redis.call('DEL', KEYS[1])
      f = 0
      i = 0
      ttl = tonumber(ARGV[1])
    end
    if f + i >= tonumber(ARGV[2]) then return {0, f, ttl} end
    redis.call('HINCRBY', KEYS[1], 'i', 1)
    redis.call('PEXPIRE', KEYS[1], ttl)
    return {1, f, ttl}`,
  /** KEYS[1] the address's hash; ARGV window ms, failed 0|1 → {failures, reset ms}. */
  settle: `
    if redis.call('PTTL', KEYS[1]) > 0 then
      if tonumber(redis.call('HGET', KEYS[1], 'i') or '0') > 0 then
        redis.call('HINCRBY', KEYS[1], 'i', -1)
      end
    elseif ARGV[2] == '1' then
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], 'f', 0)
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
    else
      return {0, 0}
    end
    local f = tonumber(redis.call('HGET', KEYS[1], 'f') or '0')
    if ARGV[2] == '1' then f = redis.call('HINCRBY', KEYS[1], 'f', 1) end
    return {f, redis.call('PTTL', KEYS[1])}`,
} as const;
