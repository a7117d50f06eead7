import { createHash } from 'node:crypto';
import { CredentialCache } from './credential-cache';
import { Principal } from './principal';

const principal: Principal = {
  userId: 7,
  orgId: 1,
  username: 'demo.till',
  permissions: { points: 'write', customer: 'read', admin: 'none' },
};

describe('CredentialCache', () => {
  it("forgets one user's credentials, and a verification begun before is not cached", () => {
    const cache = new CredentialCache(1000);
    const other = { ...principal, userId: 8, username: 'other.till' };
    const mine = cache.cacheKey('demo.till', 'secret');
    const theirs = cache.cacheKey('other.till', 'secret');
    cache.set(mine, principal, 0);
    cache.set(theirs, other, 0);
    const begun = cache.generation; // a sign-in reads the user, then hashes…
    cache.forgetUser(7); // …while an admin deactivates it
    expect(cache.get(mine, 1)).toBeUndefined();
    expect(cache.get(theirs, 1)).toEqual(other);
    cache.set(mine, principal, 2, begun);
    expect(cache.get(mine, 3)).toBeUndefined();
    cache.set(mine, principal, 4);
    expect(cache.get(mine, 5)).toEqual(principal);
  });

  it('returns a cached principal until the TTL runs out', () => {
    const cache = new CredentialCache(1000);
    const key = cache.cacheKey('demo.till', 'secret');
    cache.set(key, principal, 10_000);
    expect(cache.get(key, 10_000)).toEqual(principal);
    expect(cache.get(key, 10_999)).toEqual(principal);
    expect(cache.get(key, 11_000)).toBeUndefined();
  });

  it('an expired entry is dropped, not revived by an earlier clock', () => {
    const cache = new CredentialCache(1000);
    const key = cache.cacheKey('demo.till', 'secret');
    cache.set(key, principal, 0);
    expect(cache.get(key, 5000)).toBeUndefined();
    expect(cache.get(key, 10)).toBeUndefined();
  });

  it('setting again renews the TTL', () => {
    const cache = new CredentialCache(1000);
    const key = cache.cacheKey('demo.till', 'secret');
    cache.set(key, principal, 0);
    cache.set(key, principal, 900);
    expect(cache.get(key, 1500)).toEqual(principal);
    expect(cache.get(key, 1900)).toBeUndefined();
  });

  it('misses for a key never set', () => {
    const cache = new CredentialCache(1000);
    expect(cache.get(cache.cacheKey('demo.till', 'secret'), 0)).toBeUndefined();
  });

  it('is disabled with a TTL of 0: nothing is ever returned', () => {
    const cache = new CredentialCache(0);
    expect(cache.enabled).toBe(false);
    const key = cache.cacheKey('demo.till', 'secret');
    cache.set(key, principal, 0);
    expect(cache.get(key, 0)).toBeUndefined();
    expect(new CredentialCache(1).enabled).toBe(true);
  });

  it('clear() forgets everything', () => {
    const cache = new CredentialCache(1000);
    const key = cache.cacheKey('demo.till', 'secret');
    cache.set(key, principal, 0);
    cache.clear();
    expect(cache.get(key, 1)).toBeUndefined();
  });

  describe('cacheKey', () => {
    const cache = new CredentialCache(1000);

    it('is stable for the same username and secret', () => {
      expect(cache.cacheKey('demo.till', 's3cret')).toBe(cache.cacheKey('demo.till', 's3cret'));
    });

    it('differs per secret, so a wrong password misses the cache', () => {
      const right = cache.cacheKey('demo.till', 'right');
      const wrong = cache.cacheKey('demo.till', 'wrong');
      expect(wrong).not.toBe(right);
      cache.set(right, principal, 0);
      expect(cache.get(wrong, 1)).toBeUndefined();
      expect(cache.get(right, 1)).toEqual(principal);
    });

    it('differs per username', () => {
      expect(cache.cacheKey('a', 'secret')).not.toBe(cache.cacheKey('b', 'secret'));
    });

    it('does not confuse where username ends and secret begins', () => {
      expect(cache.cacheKey('ab', 'c')).not.toBe(cache.cacheKey('a', 'bc'));
      expect(cache.cacheKey('a:b', 'c')).not.toBe(cache.cacheKey('a', 'b:c'));
    });

    it('is not the secret, nor contains it, nor is a plain hash of it', () => {
      const secret = '5f4dcc3b5aa765d61d8327deb882cf99';
      const key = cache.cacheKey('demo.till', secret);
      expect(key).not.toBe(secret);
      expect(key).not.toContain(secret);
      expect(key).not.toContain('demo.till');
      for (const alg of ['md5', 'sha1', 'sha256']) {
        for (const input of [secret, `demo.till:${secret}`, `demo.till\0${secret}`]) {
          const h = createHash(alg).update(input).digest();
          expect(key).not.toBe(h.toString('hex'));
          expect(key).not.toBe(h.toString('base64'));
        }
      }
    });

    it('is keyed per process: another cache derives other keys', () => {
      expect(new CredentialCache(1000).cacheKey('demo.till', 'secret')).not.toBe(
        cache.cacheKey('demo.till', 'secret'),
      );
    });
  });
});
