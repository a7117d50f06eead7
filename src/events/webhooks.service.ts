import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AdminCall, AuditLog } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { InvalidRequestError, NotFoundError } from '../common/errors';
import { SecretBox } from '../common/secret-box';
import { Env } from '../config/env';
import { Db, Sql } from '../database/db';
import { EventType } from './event.sql';
import { DeliveryRow, EndpointRow, EventsRepository } from './events.repository';
import { checkWebhookHost, parseWebhookUrl, WebhookUrlError } from './webhook-http';
import { newWebhookSecret } from './webhook-signature';

/** An endpoint as operators see it: never its secret. */
export interface WebhookEndpoint {
  id: number;
  url: string;
  events: string[];
  enabled: boolean;
  failing: boolean;
  /** Until when the secret before the last rotation still signs (null: none does). */
  previous_secret_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

const view = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  events: row.events,
  enabled: row.enabled,
  failing: row.failing,
  previous_secret_until: row.previous_secret ? row.previous_until : null,
  created_at: row.created_at,
  updated_at: row.updated_at,
});

/**
 * Events out: the one way a change that is not a balance movement writes its event (balance
 * movements write theirs in their own statement, ledger/movements/), and the webhook
 * endpoints operators subscribe, rotate and watch.
 */
@Injectable()
export class WebhooksService {
  private readonly allowPrivate: boolean;
  private readonly overlapMs: number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly repo: EventsRepository,
    private readonly box: SecretBox,
    private readonly audit: AuditLog,
    config: ConfigService<Env, true>,
  ) {
    this.allowPrivate = config.get('WEBHOOK_ALLOW_PRIVATE', { infer: true });
    this.overlapMs = config.get('WEBHOOK_ROTATION_OVERLAP_HOURS', { infer: true }) * 3600_000;
  }

  /** Writes an event in the transaction of the change it reports. */
  async emit(
    tx: Sql,
    orgId: number,
    type: EventType,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.repo.append(tx, orgId, type, data, this.clock.now());
  }

  /** A URL a webhook may be sent to, or a 400 naming the field. */
  private async checkedUrl(text: string): Promise<string> {
    try {
      const url = parseWebhookUrl(text);
      await checkWebhookHost(url, this.allowPrivate);
      return url.toString();
    } catch (err) {
      if (err instanceof WebhookUrlError)
        throw new InvalidRequestError(`The URL ${err.message}`, [
          { field: 'url', message: err.message },
        ]);
      throw err;
    }
  }

  /** Creates an endpoint; the answer carries its secret, the only time it is shown. */
  async create(
    call: AdminCall,
    dto: { url: string; events: string[] },
  ): Promise<WebhookEndpoint & { secret: string }> {
    const url = await this.checkedUrl(dto.url);
    const secret = newWebhookSecret();
    const now = this.clock.now();
    const row = await this.db.transaction(async (tx) => {
      const created = await this.repo.insertEndpoint(
        tx,
        call.orgId,
        { url, events: [...new Set(dto.events)], secret: this.box.seal(secret) },
        now,
      );
      await this.audit.created(tx, call, ['webhook', created.id], view(created));
      return created;
    });
    return { ...view(row), secret };
  }

  async list(orgId: number): Promise<WebhookEndpoint[]> {
    return (await this.repo.listEndpoints(this.db, orgId)).map(view);
  }

  async patch(
    call: AdminCall,
    id: number,
    dto: { url?: string; events?: string[]; enabled?: boolean },
  ): Promise<WebhookEndpoint> {
    const url = dto.url === undefined ? undefined : await this.checkedUrl(dto.url);
    const events = dto.events && [...new Set(dto.events)];
    return this.db.transaction(async (tx) => {
      const before = await this.endpointOr404(tx, call.orgId, id, true);
      const after = view(
        await this.repo.updateEndpoint(
          tx,
          call.orgId,
          id,
          { ...dto, url, events },
          this.clock.now(),
        ),
      );
      await this.audit.record(tx, call, 'webhook.update', ['webhook', id], view(before), after);
      return after;
    });
  }

  /**
   * A new secret, shown once; the one before keeps signing beside it for
   * WEBHOOK_ROTATION_OVERLAP_HOURS, so receivers can switch without losing an event.
   */
  async rotate(
    call: AdminCall,
    id: number,
  ): Promise<{ secret: string; previous_secret_until: Date }> {
    const secret = newWebhookSecret();
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.overlapMs);
    await this.db.transaction(async (tx) => {
      await this.endpointOr404(tx, call.orgId, id, true);
      await this.repo.rotateEndpoint(tx, call.orgId, id, this.box.seal(secret), until, now);
      await this.audit.record(tx, call, 'webhook.rotate', ['webhook', id], null, {
        previous_secret_until: until,
      });
    });
    return { secret, previous_secret_until: until };
  }

  async deliveries(
    orgId: number,
    id: number,
    before: string | undefined,
    limit: number,
  ): Promise<DeliveryRow[]> {
    await this.endpointOr404(this.db, orgId, id);
    return this.repo.deliveries(this.db, orgId, id, before, limit);
  }

  /** Sends a delivery again (a failed one, or a delivered one the receiver lost), now. */
  async retry(call: AdminCall, deliveryId: number): Promise<{ id: number; endpoint_id: number }> {
    return this.db.transaction(async (tx) => {
      const row = await this.repo.retry(tx, call.orgId, deliveryId, this.clock.now());
      if (!row) throw new NotFoundError(`Delivery ${deliveryId} not found`);
      await this.audit.record(
        tx,
        call,
        'webhook.delivery_retry',
        ['webhook_delivery', deliveryId],
        null,
        row,
      );
      return row;
    });
  }

  private async endpointOr404(
    sql: Sql,
    orgId: number,
    id: number,
    lock = false,
  ): Promise<EndpointRow> {
    const row = await this.repo.findEndpoint(sql, orgId, id, lock);
    if (!row) throw new NotFoundError(`Webhook ${id} not found`);
    return row;
  }
}
