import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../common/clock';
import { PeriodicJob } from '../common/periodic-task';
import { SecretBox } from '../common/secret-box';
import { Env } from '../config/env';
import { Db } from '../database/db';
import { Metrics } from '../metrics/metrics';
import { OrgsService } from '../orgs/orgs.service';
import { ClaimedDelivery, EndpointRow, EventsRepository } from './events.repository';
import { Attempt, postWebhook } from './webhook-http';
import { webhookHeaders } from './webhook-signature';

/** How long past its timeout an attempt's lease runs before another may take the delivery. */
const LEASE_MARGIN_MS = 5_000;

/**
 * Delivers webhooks, at least once. Each round walks the orgs one at a time (docs/scaling.md)
 * and starts, for each enabled endpoint with deliveries due, a loop of its own that it does
 * not wait for: the loop takes as many due deliveries as the endpoint may have in flight
 * (WEBHOOK_CONCURRENCY_PER_ENDPOINT) with SKIP LOCKED and a lease, sends them at once, records
 * them, and goes on while any is due. A slow or dead endpoint holds up its own loop and no
 * one else's. Several instances deliver together; a delivery is never in flight twice, and
 * one whose process died is taken again when its lease ends.
 */
@Injectable()
export class WebhookSender extends PeriodicJob {
  private readonly logger = new Logger(WebhookSender.name);
  private readonly backoffMs: number[];
  private readonly timeoutMs: number;
  private readonly lanes: number;
  private readonly allowPrivate: boolean;
  /** The endpoints being drained (`org:endpoint`), each by one loop at a time. */
  private readonly draining = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly repo: EventsRepository,
    private readonly box: SecretBox,
    private readonly orgs: OrgsService,
    private readonly metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    super('webhooks', config.get('WEBHOOK_POLL_MS', { infer: true }));
    this.backoffMs = config
      .get('WEBHOOK_BACKOFF_SECONDS', { infer: true })
      .split(',')
      .map((s) => Number(s) * 1000);
    this.timeoutMs = config.get('WEBHOOK_TIMEOUT_MS', { infer: true });
    this.lanes = config.get('WEBHOOK_CONCURRENCY_PER_ENDPOINT', { infer: true });
    this.allowPrivate = config.get('WEBHOOK_ALLOW_PRIVATE', { infer: true });
    metrics.readFrom({ webhooks: () => this.health() });
  }

  protected round(): Promise<number> {
    return this.startDue();
  }

  /** Starts draining every endpoint with deliveries due; returns how many it started. */
  async startDue(): Promise<number> {
    let started = 0;
    for (const orgId of await this.orgs.ids()) {
      if (this.stopping) break;
      const due = await this.repo.endpointsDue(this.db, orgId, this.clock.now());
      if (due.length === 0) continue;
      const endpoints = new Map(
        (await this.repo.listEndpoints(this.db, orgId)).map((e) => [e.id, e]),
      );
      for (const { endpoint_id } of due) {
        const endpoint = endpoints.get(endpoint_id);
        const lane = `${orgId}:${endpoint_id}`;
        if (!endpoint || this.draining.has(lane)) continue;
        const drain = this.drain(orgId, endpoint)
          .catch((err: unknown) => this.logger.warn(`webhooks of ${lane}: ${String(err)}`))
          .finally(() => this.draining.delete(lane));
        this.draining.set(lane, drain);
        started += 1;
      }
    }
    return started;
  }

  /** Waits for every endpoint being drained (tests; shutdown). */
  async settle(): Promise<void> {
    while (this.draining.size > 0) await Promise.all([...this.draining.values()]);
  }

  override async onApplicationShutdown(): Promise<void> {
    await super.onApplicationShutdown();
    await this.settle();
  }

  /**
   * Sends an endpoint's due deliveries until none is left: batches of as many as it may have
   * in flight, each batch sent at once and its successes recorded in one statement.
   */
  private async drain(orgId: number, endpoint: EndpointRow): Promise<void> {
    while (!this.stopping) {
      const now = this.clock.now();
      // Twice the timeout: an attempt's answer is recorded before its lease ends, also slowly.
      const lease = new Date(now.getTime() + 2 * this.timeoutMs + LEASE_MARGIN_MS);
      const batch = await this.repo.claim(this.db, orgId, endpoint.id, now, lease, this.lanes);
      if (batch.length === 0) return;
      const secrets = this.secrets(endpoint, now);
      const outcomes = await Promise.all(batch.map((d) => this.send(endpoint, d, secrets)));
      const done = this.clock.now();
      const delivered = batch
        .map((d, i) => ({ id: d.id, ...outcomes[i] }))
        .filter((o) => o.status !== undefined && o.status >= 200 && o.status < 300);
      if (delivered.length > 0) {
        await this.repo.delivered(
          this.db,
          orgId,
          delivered as { id: number; status: number; excerpt: string }[],
          done,
        );
        this.metrics.webhookDeliveries.inc({ outcome: 'delivered' }, delivered.length);
      }
      for (const [i, d] of batch.entries()) {
        const outcome = outcomes[i];
        if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) continue;
        // The delay after the n-th attempt is the (n+1)-th of WEBHOOK_BACKOFF_SECONDS.
        const delay = this.backoffMs[d.attempts];
        const next = delay === undefined ? null : new Date(done.getTime() + delay);
        await this.repo.attemptFailed(
          this.db,
          orgId,
          d.id,
          {
            status: outcome.status ?? null,
            error: outcome.error ?? null,
            excerpt: outcome.excerpt,
          },
          next,
        );
        this.metrics.webhookDeliveries.inc({ outcome: next ? 'retrying' : 'failed' });
      }
    }
  }

  /** The secrets that sign now: the current one, and the one before within its overlap. */
  private secrets(endpoint: EndpointRow, now: Date): string[] {
    const secrets = [this.box.open(endpoint.secret)];
    if (endpoint.previous_secret && endpoint.previous_until && endpoint.previous_until > now)
      secrets.push(this.box.open(endpoint.previous_secret));
    return secrets;
  }

  private send(endpoint: EndpointRow, d: ClaimedDelivery, secrets: string[]): Promise<Attempt> {
    const sentAt = Math.floor(this.clock.now().getTime() / 1000);
    return postWebhook(
      new URL(endpoint.url),
      webhookHeaders(d.message_id, sentAt, d.body, secrets),
      d.body,
      {
        timeoutMs: this.timeoutMs,
        allowPrivate: this.allowPrivate,
      },
    );
  }

  /** Per org: deliveries waiting, the oldest one's age, failing endpoints (metrics). */
  private async health(): Promise<
    { org: string; backlog: number; oldestAgeSeconds: number; failing: number }[]
  > {
    const now = this.clock.now().getTime();
    const out = [];
    for (const orgId of await this.orgs.ids()) {
      const { backlog, oldest } = await this.repo.backlog(this.db, orgId);
      const failing = await this.repo.failingEndpoints(this.db, orgId);
      out.push({
        org: String(orgId),
        backlog,
        oldestAgeSeconds: oldest ? Math.max(0, (now - oldest.getTime()) / 1000) : 0,
        failing,
      });
    }
    return out;
  }
}
