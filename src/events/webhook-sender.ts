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
 * and, per enabled endpoint with deliveries due, takes as many as that endpoint has free
 * lanes (WEBHOOK_CONCURRENCY_PER_ENDPOINT) with SKIP LOCKED and a lease, and starts their
 * attempts without waiting for them: a slow or dead endpoint fills its own lanes and no one
 * else's, and the next round starts on time. Several instances deliver together; a delivery
 * is never in flight twice, and one whose process died is taken again when its lease ends.
 */
@Injectable()
export class WebhookSender extends PeriodicJob {
  private readonly logger = new Logger(WebhookSender.name);
  private readonly backoffMs: number[];
  private readonly timeoutMs: number;
  private readonly lanes: number;
  private readonly allowPrivate: boolean;
  /** Attempts in flight, per endpoint (`org:endpoint`). */
  private readonly inFlight = new Map<string, number>();
  private readonly attempts = new Set<Promise<void>>();

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

  /** Starts the attempts now due; returns how many it started. */
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
        if (endpoint) started += await this.startFor(orgId, endpoint);
      }
    }
    return started;
  }

  /** Waits for every attempt in flight (tests; shutdown). */
  async settle(): Promise<void> {
    while (this.attempts.size > 0) await Promise.all([...this.attempts]);
  }

  override async onApplicationShutdown(): Promise<void> {
    await super.onApplicationShutdown();
    await this.settle();
  }

  private async startFor(orgId: number, endpoint: EndpointRow): Promise<number> {
    const lane = `${orgId}:${endpoint.id}`;
    const free = this.lanes - (this.inFlight.get(lane) ?? 0);
    if (free <= 0) return 0;
    const now = this.clock.now();
    // Twice the timeout: the attempt's answer is recorded before the lease ends, also slowly.
    const lease = new Date(now.getTime() + 2 * this.timeoutMs + LEASE_MARGIN_MS);
    const claimed = await this.repo.claim(this.db, orgId, endpoint.id, now, lease, free);
    for (const delivery of claimed) {
      this.inFlight.set(lane, (this.inFlight.get(lane) ?? 0) + 1);
      const attempt = this.attempt(orgId, endpoint, delivery)
        .catch((err: unknown) =>
          this.logger.warn(`webhook delivery ${delivery.id}: ${String(err)}`),
        )
        .finally(() => {
          this.inFlight.set(lane, (this.inFlight.get(lane) ?? 1) - 1);
          this.attempts.delete(attempt);
        });
      this.attempts.add(attempt);
    }
    return claimed.length;
  }

  /** The secrets that sign now: the current one, and the one before within its overlap. */
  private secrets(endpoint: EndpointRow, now: Date): string[] {
    const secrets = [this.box.open(endpoint.secret)];
    if (endpoint.previous_secret && endpoint.previous_until && endpoint.previous_until > now)
      secrets.push(this.box.open(endpoint.previous_secret));
    return secrets;
  }

  private async attempt(orgId: number, endpoint: EndpointRow, d: ClaimedDelivery): Promise<void> {
    const sentAt = this.clock.now();
    const headers = webhookHeaders(
      d.message_id,
      Math.floor(sentAt.getTime() / 1000),
      d.body,
      this.secrets(endpoint, sentAt),
    );
    const outcome: Attempt = await postWebhook(new URL(endpoint.url), headers, d.body, {
      timeoutMs: this.timeoutMs,
      allowPrivate: this.allowPrivate,
    });
    const now = this.clock.now();
    if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) {
      await this.repo.delivered(this.db, orgId, d.id, outcome.status, outcome.excerpt, now);
      this.metrics.webhookDeliveries.inc({ outcome: 'delivered' });
      return;
    }
    // The delay after the n-th attempt is the (n+1)-th of WEBHOOK_BACKOFF_SECONDS.
    const delay = this.backoffMs[d.attempts];
    const next = delay === undefined ? null : new Date(now.getTime() + delay);
    await this.repo.attemptFailed(
      this.db,
      orgId,
      d.id,
      { status: outcome.status ?? null, error: outcome.error ?? null, excerpt: outcome.excerpt },
      next,
    );
    this.metrics.webhookDeliveries.inc({ outcome: next ? 'retrying' : 'failed' });
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
