import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, randomUUID } from 'node:crypto';
import { ApiError } from '../capillary/api-error';
import { stringifyWireJson } from '../capillary/wire-json';
import { WireResponse } from '../capillary/wire-response';
import { Env } from '../config/env';
import { Db, Sql } from '../database/db';

/** What an item stored for replay: its wire JSON and whether it succeeded. */
export interface StoredItem {
  ok: boolean;
  json: string;
  /** HTTP status, for endpoints whose status depends on the item (v2 reverse). */
  status?: number;
}

/** The caller owns this key now: it runs the request and records as it goes. */
export interface IdempotencyLease {
  orgId: number;
  key: string;
  token: string;
  /** Items finished by an earlier owner that died mid-way, by index. */
  done: Map<number, StoredItem>;
}

interface KeyRow {
  request_hash: string;
  owner_token: string;
  lease_expired: boolean;
  item_results: Record<string, StoredItem>;
  response_status: number | null;
  response_body: string | null;
}

const MAX_KEY_LENGTH = 255;
const POLL_MS = 25;

export const REPLAY_HEADER = 'Idempotent-Replayed';

/** A lease taken over by another request: this one must stop without writing. */
export class LeaseLostError extends ApiError {
  constructor() {
    super(
      HttpStatus.CONFLICT,
      HttpStatus.CONFLICT,
      'Another request took over this Idempotency-Key; retry to get its response',
    );
  }
}

/**
 * Exactly-once requests by `Idempotency-Key`. The first request with a key owns it for a
 * lease; each item's result is written inside that item's own transaction, and the final
 * response when the request ends. A repeat waits briefly for the owner, then replays the
 * stored response byte for byte (409 if the owner is still running; 422 if the body differs).
 * An owner that died is taken over once its lease lapses, and items it finished are not redone.
 */
@Injectable()
export class IdempotencyService {
  private readonly leaseMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly db: Db,
    config: ConfigService<Env, true>,
  ) {
    this.leaseMs = config.get('IDEMPOTENCY_LEASE_MS', { infer: true });
    this.waitMs = config.get('IDEMPOTENCY_WAIT_MS', { infer: true });
  }

  static requestHash(method: string, path: string, query: unknown, body: unknown): string {
    return createHash('sha256')
      .update(
        `${method} ${path}\n${stringifyWireJson(query ?? {})}\n${stringifyWireJson(body ?? null)}`,
      )
      .digest('hex');
  }

  static validKey(key: string | undefined): string | undefined {
    if (key === undefined) return undefined;
    const k = key.trim();
    if (k.length === 0) return undefined;
    if (k.length > MAX_KEY_LENGTH || /[^\x21-\x7e]/.test(k)) {
      throw ApiError.badRequest('Idempotency-Key must be 1-255 visible ASCII characters', [
        { field: 'Idempotency-Key', message: '1-255 visible ASCII characters' },
      ]);
    }
    return k;
  }

  /**
   * Runs `work` exactly once per key: without a key it simply runs; with one, a repeat gets
   * the stored response, and `work` receives the lease to record its items under.
   */
  async run(
    orgId: number,
    rawKey: string | undefined,
    hash: () => string,
    work: (lease: IdempotencyLease | undefined) => Promise<WireResponse>,
  ): Promise<WireResponse> {
    const key = IdempotencyService.validKey(rawKey);
    if (key === undefined) return work(undefined);
    const begun = await this.begin(orgId, key, hash());
    if (begun instanceof WireResponse) return begun;
    try {
      const response = await work(begun);
      if (response.transient) await this.abandon(begun);
      else await this.complete(begun, response);
      return response;
    } catch (err) {
      if (!(err instanceof LeaseLostError)) await this.abandon(begun);
      throw err;
    }
  }

  /** Either a replay of the stored response, or a lease to run the request under. */
  async begin(orgId: number, key: string, hash: string): Promise<WireResponse | IdempotencyLease> {
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const inserted = await this.db.query<{ key: string }>(
        `INSERT INTO idempotency_key (org_id, key, request_hash, owner_token, lease_until)
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::double precision / 1000))
         ON CONFLICT DO NOTHING RETURNING key`,
        [orgId, key, hash, token, this.leaseMs],
      );
      if (inserted.length > 0) return { orgId, key, token, done: new Map() };

      const [row] = await this.db.query<KeyRow>(
        `SELECT request_hash, owner_token, lease_until < now() AS lease_expired, item_results,
                response_status, response_body
           FROM idempotency_key WHERE org_id = $1 AND key = $2`,
        [orgId, key],
      );
      if (!row) continue; // purged between the two statements: try to claim it again
      if (row.request_hash !== hash) {
        throw new ApiError(
          HttpStatus.UNPROCESSABLE_ENTITY,
          HttpStatus.UNPROCESSABLE_ENTITY,
          'Idempotency-Key was already used with a different request',
        );
      }
      if (row.response_status !== null && row.response_body !== null) {
        return new WireResponse(row.response_status, row.response_body, {
          [REPLAY_HEADER]: 'true',
        });
      }
      if (row.lease_expired) {
        const taken = await this.db.execute(
          `UPDATE idempotency_key
              SET owner_token = $3, lease_until = now() + make_interval(secs => $5::double precision / 1000)
            WHERE org_id = $1 AND key = $2 AND owner_token = $4 AND response_status IS NULL`,
          [orgId, key, token, row.owner_token, this.leaseMs],
        );
        if (taken === 1) {
          const done = new Map<number, StoredItem>();
          for (const [i, item] of Object.entries(row.item_results)) done.set(Number(i), item);
          return { orgId, key, token, done };
        }
        continue;
      }
      if (Date.now() >= deadline) {
        throw ApiError.conflict(
          'A request with this Idempotency-Key is still in progress; retry later',
        );
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Records one item's result, in the caller's transaction when it has one. */
  async recordItem(
    sql: Sql,
    lease: IdempotencyLease,
    index: number,
    item: StoredItem,
  ): Promise<void> {
    const changed = await sql.execute(
      `UPDATE idempotency_key
          SET item_results = item_results || jsonb_build_object($4::text, $5::jsonb),
              lease_until = now() + make_interval(secs => $6::double precision / 1000)
        WHERE org_id = $1 AND key = $2 AND owner_token = $3`,
      [lease.orgId, lease.key, lease.token, String(index), JSON.stringify(item), this.leaseMs],
    );
    if (changed !== 1) throw new LeaseLostError();
    lease.done.set(index, item);
  }

  async complete(lease: IdempotencyLease, response: WireResponse): Promise<void> {
    await this.db.execute(
      `UPDATE idempotency_key SET response_status = $4, response_body = $5, completed_at = now()
        WHERE org_id = $1 AND key = $2 AND owner_token = $3`,
      [lease.orgId, lease.key, lease.token, response.httpStatus, response.body],
    );
  }

  /**
   * After a request-level failure (e.g. the database went away): a key with nothing done
   * is dropped so a retry runs afresh; one with finished items has its lease ended so a
   * retry takes over at once and replays them.
   */
  async abandon(lease: IdempotencyLease): Promise<void> {
    await this.db
      .execute(
        `WITH dropped AS (
           DELETE FROM idempotency_key WHERE org_id = $1 AND key = $2 AND owner_token = $3
              AND item_results = '{}'::jsonb RETURNING key
         )
         UPDATE idempotency_key SET lease_until = now()
          WHERE org_id = $1 AND key = $2 AND owner_token = $3 AND response_status IS NULL
            AND NOT EXISTS (SELECT 1 FROM dropped)`,
        [lease.orgId, lease.key, lease.token],
      )
      .catch(() => undefined);
  }

  /** Drops keys older than the retention period (called by the maintenance sweeper). */
  async purge(olderThanHours: number): Promise<number> {
    return this.db.execute(
      `DELETE FROM idempotency_key WHERE created_at < now() - make_interval(hours => $1)`,
      [olderThanHours],
    );
  }
}
