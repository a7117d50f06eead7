import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../common/clock';
import { PeriodicJob } from '../common/periodic-task';
import { Env } from '../config/env';
import { Db } from '../database/db';
import { Metrics } from '../metrics/metrics';
import { NotificationGateway } from './notification-gateway';
import { NotificationRepository } from './notification.repository';

const BATCH = 50;

/**
 * Drains the notification outbox: rows written in the same transaction as the code they
 * carry are handed to the gateway and marked sent; the deliverable text, the only copy of
 * the code in clear, is dropped then (kept only in a demo-mode org). One org at a time, each
 * in a transaction of its own (docs/scaling.md). Several instances may run it at once
 * (SKIP LOCKED); a failed send is retried on later rounds.
 */
@Injectable()
export class OutboxSender extends PeriodicJob {
  constructor(
    private readonly db: Db,
    private readonly outbox: NotificationRepository,
    private readonly gateway: NotificationGateway,
    clock: Clock,
    metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    super('outbox', config.get('NOTIFICATION_POLL_MS', { infer: true }));
    // How far behind the sender is, read at scrape time.
    metrics.readFrom({ outbox: () => outbox.backlog(db, clock.now()) });
  }

  protected round(): Promise<number> {
    return this.drain();
  }

  /** One round: returns how many messages were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    for (const orgId of await this.outbox.orgsWithUnsent(this.db)) {
      if (this.stopping) break;
      sent += await this.drainOrg(orgId);
    }
    return sent;
  }

  /** Up to BATCH of the org's messages, in one transaction of that org. */
  private drainOrg(orgId: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      let sent = 0;
      for (const n of await this.outbox.lockUnsent(tx, orgId, BATCH)) {
        try {
          await this.gateway.send(n);
          await this.outbox.markSent(tx, orgId, n.id);
          sent++;
        } catch (err) {
          await this.outbox.markFailed(tx, orgId, n.id, String(err));
        }
      }
      return sent;
    });
  }
}
