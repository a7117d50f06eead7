import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { ConfigService } from '@nestjs/config';
import { Env } from '../config/env';
import { Db } from '../database/db';
import { NotificationGateway, OutgoingNotification } from './notification-gateway';

const BATCH = 50;
const MAX_ATTEMPTS = 10;

/**
 * Drains the notification outbox: rows written in the same transaction as the code they
 * carry are handed to the gateway and marked sent; the deliverable text, the only copy of
 * the code in clear, is dropped then (kept only in a demo-mode org). Several instances may run it at once
 * (SKIP LOCKED); a failed send is retried on later rounds.
 */
@Injectable()
export class OutboxSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    private readonly db: Db,
    private readonly gateway: NotificationGateway,
    config: ConfigService<Env, true>,
  ) {
    this.task = new PeriodicTask(
      'outbox',
      config.get('NOTIFICATION_POLL_MS', { infer: true }),
      () => this.drain(),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One round: returns how many messages were sent. */
  async drain(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const batch = await tx.query<OutgoingNotification>(
        `SELECT id, channel, recipient, clear_text AS text, text AS "maskedText" FROM notification
          WHERE sent_at IS NULL AND attempts < $1 AND clear_text IS NOT NULL
          ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [MAX_ATTEMPTS, BATCH],
      );
      let sent = 0;
      for (const n of batch) {
        try {
          await this.gateway.send(n);
          await tx.query(
            `UPDATE notification n SET sent_at = now(), attempts = n.attempts + 1,
                    clear_text = CASE WHEN c.demo_mode THEN n.clear_text END
               FROM org_config c WHERE c.org_id = n.org_id AND n.id = $1`,
            [n.id],
          );
          sent++;
        } catch (err) {
          // A message given up on keeps no code in clear either.
          await tx.query(
            `UPDATE notification n SET attempts = n.attempts + 1, last_error = $2,
                    clear_text = CASE WHEN c.demo_mode OR n.attempts + 1 < $3 THEN n.clear_text END
               FROM org_config c WHERE c.org_id = n.org_id AND n.id = $1`,
            [n.id, String(err).slice(0, 500), MAX_ATTEMPTS],
          );
        }
      }
      return sent;
    });
  }
}
