import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env } from '../config/env';
import { Db } from '../database/db';
import { CredentialCache } from './credential-cache';
import { DUMMY_HASH, verifyPassword, wireSecretToMd5 } from './password';
import { Level, Principal } from './principal';

interface UserRow {
  id: number;
  org_id: number;
  username: string;
  password_hash: string;
  points_level: Level;
  customer_level: Level;
  admin_level: Level;
}

@Injectable()
export class AuthService {
  readonly cache: CredentialCache;
  private readonly inFlight = new Map<string, Promise<Principal | null>>();

  constructor(
    private readonly db: Db,
    config: ConfigService<Env, true>,
  ) {
    this.cache = new CredentialCache(config.get('AUTH_CACHE_TTL_MS', { infer: true }));
  }

  /** The principal for these credentials, or null; unknown user and wrong secret cost alike. */
  async verify(username: string, secret: string): Promise<Principal | null> {
    const key = this.cache.cacheKey(username, secret);
    const cached = this.cache.get(key);
    if (cached) return cached;
    // Single flight: when an entry expires under load, the requests that miss at once share
    // one slow hash instead of each paying (and holding 16 MB for) their own.
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const verification = this.verifyUncached(key, username, secret).finally(() =>
      this.inFlight.delete(key),
    );
    this.inFlight.set(key, verification);
    return verification;
  }

  private async verifyUncached(
    key: string,
    username: string,
    secret: string,
  ): Promise<Principal | null> {
    const [user] = await this.db.query<UserRow>(
      `SELECT u.id, u.org_id, u.username, u.password_hash,
              g.points_level, g.customer_level, g.admin_level
         FROM app_user u JOIN access_group g ON g.id = u.access_group_id
        WHERE u.username = $1 AND u.active`,
      [username],
    );
    const valid = await verifyPassword(user?.password_hash ?? DUMMY_HASH, wireSecretToMd5(secret));
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
    this.cache.set(key, principal);
    return principal;
  }
}
