import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { Decimal } from '../common/decimal';
import { Sql } from '../database/db';

export interface CodeCheck {
  orgId: number;
  customerId: number;
  programId: number;
  codeHash: string;
  /** The points the code is presented for: a code is good for at most what it was issued for. */
  points: Decimal;
  maxAttempts: number;
  now: Date;
}

/** A presented code: good, not good, or not good because every live code is locked. */
export type CodeVerdict = 'VALID' | 'WRONG' | 'LOCKED';

const sameHash = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

@Injectable()
export class ValidationCodeRepository {
  /**
   * Whether `codeHash` matches one of the customer's live codes (unexpired, unused, not
   * locked by too many wrong tries) issued for at least `points`. Anything else counts an
   * attempt against every live code, the right code for too many points included: were it
   * told apart, codes could be guessed through it without meeting the lockout. Locks the
   * codes: call after the wallet lock (the fixed lock order).
   */
  async check(tx: Sql, c: CodeCheck): Promise<CodeVerdict> {
    const live = await tx.query<{
      id: number;
      code_hash: string;
      failed_attempts: number;
      points: string | null;
    }>(
      `SELECT id, code_hash, failed_attempts, points FROM validation_code
        WHERE org_id = $1 AND customer_id = $2 AND program_id = $3 AND used_at IS NULL
          AND expires_at > $4
        ORDER BY id FOR UPDATE`,
      [c.orgId, c.customerId, c.programId, c.now],
    );
    const good = live.some(
      (r) =>
        r.failed_attempts < c.maxAttempts &&
        // A code without an amount (issued before codes carried one) is good for nothing.
        r.points !== null &&
        Decimal.of(r.points).gte(c.points) &&
        sameHash(r.code_hash, c.codeHash),
    );
    if (good) return 'VALID';
    // Every live code used up its tries: the customer is locked out until a new code.
    const locked = live.length > 0 && live.every((r) => r.failed_attempts >= c.maxAttempts);
    if (live.length > 0) {
      await tx.query(
        `UPDATE validation_code SET failed_attempts = failed_attempts + 1
          WHERE org_id = $1 AND id = ANY($2::bigint[])`,
        [c.orgId, live.map((r) => r.id)],
      );
    }
    return locked ? 'LOCKED' : 'WRONG';
  }

  /** A successful redemption uses up every live code of the customer and program. */
  async consumeAll(
    tx: Sql,
    orgId: number,
    customerId: number,
    programId: number,
    redemptionId: number,
    now: Date,
  ): Promise<void> {
    await tx.query(
      `UPDATE validation_code SET used_at = $3, redemption_id = $4
        WHERE org_id = $5 AND customer_id = $1 AND program_id = $2 AND used_at IS NULL
          AND expires_at > $3`,
      [customerId, programId, now, redemptionId, orgId],
    );
  }

  /** Codes issued to the customer (any program) since `since`: the per-customer issue limit. */
  async issuedSince(tx: Sql, orgId: number, customerId: number, since: Date): Promise<number> {
    const [row] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM validation_code
        WHERE org_id = $1 AND customer_id = $2 AND created_at > $3`,
      [orgId, customerId, since],
    );
    return row.n;
  }

  async insert(
    tx: Sql,
    c: {
      orgId: number;
      customerId: number;
      programId: number;
      codeHash: string;
      points: string;
      expiresAt: Date;
      now: Date;
    },
  ): Promise<number> {
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO validation_code (org_id, customer_id, program_id, code_hash, points, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [c.orgId, c.customerId, c.programId, c.codeHash, c.points, c.expiresAt, c.now],
    );
    return row.id;
  }
}
