import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Env } from '../config/env';

/** What the metrics read when they are scraped (set by the modules that own the data). */
export interface MetricsSources {
  pool(): { total: number; idle: number; waiting: number };
  outbox(): Promise<{ backlog: number; oldestAgeSeconds: number }>;
  expiryLagSeconds(): Promise<number>;
  webhooks(): Promise<
    { org: string; backlog: number; oldestAgeSeconds: number; failing: number }[]
  >;
}

/**
 * The service's Prometheus metrics (prom-client). Labels are bounded: item codes, route
 * templates (never raw URLs), program ids, HTTP methods and statuses; no identifiers.
 */
@Injectable()
export class Metrics {
  readonly enabled: boolean;
  readonly registry = new Registry();
  private readonly sources: Partial<MetricsSources> = {};

  readonly redemptions = new Counter({
    name: 'points_redemption_items_total',
    help: 'Redemption items answered, by Capillary item code and program',
    labelNames: ['code', 'program'] as const,
    registers: [this.registry],
  });

  readonly reversals = new Counter({
    name: 'points_reversals_total',
    help: 'Reversals answered, by code (200 reversed, else the v2 error code)',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly validationCodes = new Counter({
    name: 'points_validation_codes_total',
    help: 'Validation codes issued, not issued (limit, no recipient), and refused at redemption (wrong, expired, used, or locked after too many tries: one value, as the API answers all with 808)',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly lockTimeouts = new Counter({
    name: 'points_lock_wait_timeouts_total',
    help: 'Answers 521: a wallet stayed locked past LOCK_TIMEOUT_MS',
    registers: [this.registry],
  });

  readonly transactionRetries = new Counter({
    name: 'points_transaction_retries_total',
    help: 'Transactions run again after a deadlock, a serialization failure or a code collision',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly idempotency = new Counter({
    name: 'points_idempotency_total',
    help: 'Idempotency-Key outcomes: replayed answers, 409 (still running), 422 (other request)',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'points_webhook_deliveries_total',
    help: 'Webhook attempts by outcome: delivered, retrying (failed, due again), failed (the last)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly lotsExpired = new Counter({
    name: 'points_lots_expired_total',
    help: 'Lots written off by the expiry sweeper',
    registers: [this.registry],
  });

  constructor(config: ConfigService<Env, true>) {
    this.enabled = config.get('METRICS_ENABLED', { infer: true });
    const sources = () => this.sources;
    // Read at scrape time. A source that fails (the database is away) leaves its gauge as it
    // was: a scrape must still answer, then above all.
    const read = async <T>(
      pick: (s: Partial<MetricsSources>) => Promise<T | undefined> | T | undefined,
    ): Promise<T | undefined> => {
      const s = sources();
      try {
        return await pick(s);
      } catch {
        return undefined;
      }
    };
    new Gauge({
      name: 'points_db_pool_connections',
      help: 'Database pool connections: total, idle, and requests waiting for one',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const pool = await read((s) => s.pool?.());
        if (!pool) return;
        this.set({ state: 'total' }, pool.total);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
      },
    });
    new Gauge({
      name: 'points_outbox_backlog',
      help: 'Notifications waiting to be sent',
      registers: [this.registry],
      async collect() {
        const o = await read((s) => s.outbox?.());
        if (o) this.set(o.backlog);
      },
    });
    new Gauge({
      name: 'points_outbox_oldest_age_seconds',
      help: 'Age of the oldest notification waiting to be sent (0: none)',
      registers: [this.registry],
      async collect() {
        const o = await read((s) => s.outbox?.());
        if (o) this.set(o.oldestAgeSeconds);
      },
    });
    new Gauge({
      name: 'points_expiry_lag_seconds',
      help: 'How long the oldest lapsed lot has waited to be written off (0: none)',
      registers: [this.registry],
      async collect() {
        const lag = await read((s) => s.expiryLagSeconds?.());
        if (lag !== undefined) this.set(lag);
      },
    });
    const webhookGauge = (
      name: string,
      help: string,
      pick: (o: { backlog: number; oldestAgeSeconds: number; failing: number }) => number,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ['org'] as const,
        registers: [this.registry],
        async collect() {
          const orgs = await read((s) => s.webhooks?.());
          if (!orgs) return;
          this.reset();
          for (const o of orgs) this.set({ org: o.org }, pick(o));
        },
      });
    webhookGauge('points_webhook_backlog', 'Webhook deliveries waiting, per org', (o) => o.backlog);
    webhookGauge(
      'points_webhook_oldest_age_seconds',
      'Age of the oldest webhook delivery waiting, per org (0: none)',
      (o) => o.oldestAgeSeconds,
    );
    webhookGauge(
      'points_webhook_failing_endpoints',
      'Webhook endpoints whose last delivery failed for good, per org',
      (o) => o.failing,
    );
    if (this.enabled) collectDefaultMetrics({ register: this.registry });
  }

  /** Called at start by each module that owns a source (the pool, the outbox, the lots). */
  readFrom(sources: Partial<MetricsSources>): void {
    Object.assign(this.sources, sources);
  }
}

/** The counters an item outcome moves besides its own (lock waits, validation codes). */
export function countSideEffects(metrics: Metrics, outcome: string): void {
  if (outcome === 'WALLET_LOCKED') metrics.lockTimeouts.inc();
  // A lockout counts as a refusal, as the API answers both with 808: a series of its own
  // would tell whoever reads /metrics when their guesses stopped being checked.
  else if (outcome === 'VALIDATION_CODE_INVALID' || outcome === 'VALIDATION_CODE_LOCKED')
    metrics.validationCodes.inc({ event: 'refused' });
  else if (outcome === 'VALIDATION_CODE_ISSUED' || outcome === 'VALIDATION_CODE_ISSUED_EMAIL')
    metrics.validationCodes.inc({ event: 'issued' });
  else if (outcome === 'VALIDATION_CODE_ISSUE_LIMIT' || outcome === 'VALIDATION_CODE_ISSUE_FAILED')
    metrics.validationCodes.inc({ event: 'not_issued' });
}
