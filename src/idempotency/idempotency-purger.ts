import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PeriodicTask } from '../common/periodic-task';
import { Env } from '../config/env';
import { Db } from '../database/db';
import { IdempotencyRepository } from './idempotency.repository';

/** Drops Idempotency-Key records past IDEMPOTENCY_TTL_HOURS, on the expiry sweeper's period. */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyPurger.name);
  private readonly ttlHours: number;
  private readonly task: PeriodicTask;

  constructor(
    private readonly db: Db,
    private readonly keys: IdempotencyRepository,
    config: ConfigService<Env, true>,
  ) {
    this.ttlHours = config.get('IDEMPOTENCY_TTL_HOURS', { infer: true });
    this.task = new PeriodicTask(
      'idempotency purge',
      config.get('EXPIRY_SWEEP_INTERVAL_MS', { infer: true }),
      () => this.purgeOnce(),
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One round; returns how many keys were dropped. */
  async purgeOnce(): Promise<number> {
    const purged = await this.keys.purgeOlderThan(this.db, this.ttlHours);
    if (purged > 0) this.logger.log(`purged ${purged} idempotency keys`);
    return purged;
  }
}
