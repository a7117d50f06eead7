import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { Env } from '../config/env';
import { Db, Sql } from '../database/db';
import { Metrics } from '../metrics/metrics';
import {
  IdempotencyKeyBusyError,
  IdempotencyKeyReusedError,
  InvalidIdempotencyKeyError,
  LeaseLostError,
} from './idempotency-errors';
import { IdempotencyRepository } from './idempotency.repository';

/** A finished HTTP answer as it is stored and replayed: status and exact body. */
export interface StoredResponse {
  status: number;
  body: string;
  /** True when this is the stored answer of an earlier request with the key. */
  replayed: boolean;
}

/** What a request's work ends with, and whether it may be replayed. */
export interface Finished {
  status: number;
  body: string;
  /** False for an answer that says "retry" (a lock wait ran out): storing it would only replay it. */
  keep: boolean;
}

/**
 * Where a use case records each finished item, inside the item's own transaction, and finds
 * the items an earlier owner of the key finished (they are replayed, never redone). The
 * values are the use case's own outcomes; nothing here knows how they are shown.
 */
export interface ItemJournal {
  done(index: number): unknown;
  record(sql: Sql, index: number, outcome: unknown): Promise<void>;
}

interface Lease {
  orgId: number;
  key: string;
  token: string;
  done: Map<number, unknown>;
}

const MAX_KEY_LENGTH = 255;
const POLL_MS = 25;

/**
 * Exactly-once requests by `Idempotency-Key`. The first request with a key owns it for a
 * lease; each item's outcome is written inside that item's own transaction (ItemJournal),
 * and the finished response when the request ends. A repeat waits briefly for the owner,
 * then replays the stored response byte for byte (busy if the owner is still running; reused
 * if the request differs). An owner that died is taken over once its lease lapses.
 */
@Injectable()
export class IdempotencyService {
  private readonly leaseMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly db: Db,
    private readonly keys: IdempotencyRepository,
    private readonly metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    this.leaseMs = config.get('IDEMPOTENCY_LEASE_MS', { infer: true });
    this.waitMs = config.get('IDEMPOTENCY_WAIT_MS', { infer: true });
  }

  static validKey(key: string | undefined): string | undefined {
    if (key === undefined) return undefined;
    const k = key.trim();
    if (k.length === 0) return undefined;
    if (k.length > MAX_KEY_LENGTH || /[^\x21-\x7e]/.test(k)) throw new InvalidIdempotencyKeyError();
    return k;
  }

  /**
   * Runs `work` exactly once per key: without a key it simply runs; with one, a repeat gets
   * the stored response, and `work` gets the journal to record its items in.
   */
  async run(
    orgId: number,
    rawKey: string | undefined,
    hash: () => string,
    work: (journal: ItemJournal | undefined) => Promise<Finished>,
  ): Promise<StoredResponse> {
    const key = IdempotencyService.validKey(rawKey);
    if (key === undefined) {
      const { status, body } = await work(undefined);
      return { status, body, replayed: false };
    }
    const begun = await this.begin(orgId, key, hash());
    if ('replayed' in begun) return begun;
    try {
      const finished = await work(this.journal(begun));
      if (finished.keep) await this.keys.complete(this.db, begun, finished.status, finished.body);
      else await this.abandon(begun);
      return { status: finished.status, body: finished.body, replayed: false };
    } catch (err) {
      if (!(err instanceof LeaseLostError)) await this.abandon(begun);
      throw err;
    }
  }

  private journal(lease: Lease): ItemJournal {
    return {
      done: (index) => lease.done.get(index),
      record: async (sql, index, outcome) => {
        const owned = await this.keys.recordItem(
          sql,
          { ...lease, leaseMs: this.leaseMs },
          index,
          outcome,
        );
        if (!owned) throw new LeaseLostError();
        lease.done.set(index, outcome);
      },
    };
  }

  /** Either a replay of the stored response, or a lease to run the request under. */
  private async begin(orgId: number, key: string, hash: string): Promise<StoredResponse | Lease> {
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if (await this.keys.claim(this.db, { orgId, key, hash, token, leaseMs: this.leaseMs })) {
        return { orgId, key, token, done: new Map() };
      }
      const row = await this.keys.find(this.db, orgId, key);
      if (!row) continue; // purged between the two statements: try to claim it again
      if (row.request_hash !== hash) {
        this.metrics.idempotency.inc({ event: 'reused' });
        throw new IdempotencyKeyReusedError();
      }
      if (row.response_status !== null && row.response_body !== null) {
        this.metrics.idempotency.inc({ event: 'replayed' });
        return { status: row.response_status, body: row.response_body, replayed: true };
      }
      if (row.lease_expired) {
        const taken = await this.keys.takeOver(this.db, {
          orgId,
          key,
          token,
          previous: row.owner_token,
          leaseMs: this.leaseMs,
        });
        if (taken) {
          const done = new Map<number, unknown>();
          for (const [i, item] of Object.entries(row.item_results)) done.set(Number(i), item);
          return { orgId, key, token, done };
        }
        continue;
      }
      if (Date.now() >= deadline) {
        this.metrics.idempotency.inc({ event: 'busy' });
        throw new IdempotencyKeyBusyError();
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private async abandon(lease: Lease): Promise<void> {
    await this.keys.abandon(this.db, lease).catch(() => undefined);
  }
}
