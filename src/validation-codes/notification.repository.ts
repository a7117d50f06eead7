import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';
import { OutgoingNotification } from './notification-gateway';

/** Tries of one message before the outbox gives up on it. */
export const MAX_SEND_ATTEMPTS = 10;

export interface NotificationView {
  id: number;
  customer_id: number | null;
  channel: 'SMS' | 'EMAIL';
  recipient: string;
  text: string;
  created_at: Date;
  sent_at: Date | null;
}

/**
 * The notification outbox. `text` is the message with its code masked (what may be shown);
 * `clear_text` the message to deliver, kept only until the gateway has it, unless the org
 * is in demo mode.
 */
@Injectable()
export class NotificationRepository {
  async insert(
    tx: Sql,
    n: {
      orgId: number;
      customerId: number;
      channel: 'SMS' | 'EMAIL';
      recipient: string;
      maskedText: string;
      clearText: string;
      now: Date;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO notification (org_id, customer_id, channel, recipient, text, clear_text, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [n.orgId, n.customerId, n.channel, n.recipient, n.maskedText, n.clearText, n.now],
    );
  }

  /** Newest first; the code readable only in a demo-mode org. */
  async listForAdmin(
    sql: Sql,
    orgId: number,
    customerId: number | undefined,
  ): Promise<NotificationView[]> {
    return sql.query<NotificationView>(
      `SELECT n.id, n.customer_id, n.channel, n.recipient,
              CASE WHEN c.demo_mode THEN coalesce(n.clear_text, n.text) ELSE n.text END AS text,
              n.created_at, n.sent_at
         FROM notification n JOIN org_config c ON c.org_id = n.org_id
        WHERE n.org_id = $1 AND ($2::bigint IS NULL OR n.customer_id = $2) ORDER BY n.id DESC LIMIT 500`,
      [orgId, customerId ?? null],
    );
  }

  /** The orgs with messages to deliver (read through the small index of unsent ones). */
  async orgsWithUnsent(sql: Sql): Promise<number[]> {
    const rows = await sql.query<{ org_id: number }>(
      `SELECT DISTINCT org_id FROM notification
        WHERE sent_at IS NULL AND attempts < $1 AND clear_text IS NOT NULL
        -- all orgs: finds the orgs the outbox then drains one at a time`,
      [MAX_SEND_ATTEMPTS],
    );
    return rows.map((r) => r.org_id);
  }

  /** The org's messages to deliver, locked for this round; others' rounds skip them. */
  async lockUnsent(tx: Sql, orgId: number, limit: number): Promise<OutgoingNotification[]> {
    return tx.query<OutgoingNotification>(
      `SELECT id::text AS id, channel, recipient, clear_text AS text, text AS "maskedText" FROM notification
        WHERE org_id = $1 AND sent_at IS NULL AND attempts < $2 AND clear_text IS NOT NULL
        ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [orgId, MAX_SEND_ATTEMPTS, limit],
    );
  }

  /** Delivered: the code in clear goes, unless the org is in demo mode. */
  async markSent(tx: Sql, orgId: number, id: string): Promise<void> {
    await tx.query(
      `UPDATE notification n SET sent_at = now(), attempts = n.attempts + 1,
              clear_text = CASE WHEN c.demo_mode THEN n.clear_text END
         FROM org_config c WHERE c.org_id = n.org_id AND n.org_id = $1 AND n.id = $2`,
      [orgId, id],
    );
  }

  /** A failed try; a message given up on keeps no code in clear either. */
  async markFailed(tx: Sql, orgId: number, id: string, error: string): Promise<void> {
    await tx.query(
      `UPDATE notification n SET attempts = n.attempts + 1, last_error = $3,
              clear_text = CASE WHEN c.demo_mode OR n.attempts + 1 < $4 THEN n.clear_text END
         FROM org_config c WHERE c.org_id = n.org_id AND n.org_id = $1 AND n.id = $2`,
      [orgId, id, error.slice(0, 500), MAX_SEND_ATTEMPTS],
    );
  }

  /** Messages still to be sent, and how long the oldest has waited (for the metrics). */
  async backlog(sql: Sql, now: Date): Promise<{ backlog: number; oldestAgeSeconds: number }> {
    const [row] = await sql.query<{ n: number; oldest: Date | null }>(
      `SELECT count(*)::int AS n, min(created_at) AS oldest FROM notification
        WHERE sent_at IS NULL AND attempts < $1 AND clear_text IS NOT NULL
        -- all orgs: one figure for the whole service`,
      [MAX_SEND_ATTEMPTS],
    );
    const age = row.oldest ? Math.max(0, (now.getTime() - row.oldest.getTime()) / 1000) : 0;
    return { backlog: row.n, oldestAgeSeconds: age };
  }

  /** Leaving demo mode: the readable copies it kept of delivered (or abandoned) messages go. */
  async dropKeptTexts(tx: Sql, orgId: number): Promise<void> {
    await tx.query(
      `UPDATE notification SET clear_text = NULL
        WHERE org_id = $1 AND clear_text IS NOT NULL AND (sent_at IS NOT NULL OR attempts >= $2)`,
      [orgId, MAX_SEND_ATTEMPTS],
    );
  }
}
