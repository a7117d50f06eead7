import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PeriodicJob } from '../common/periodic-task';
import { Env } from '../config/env';
import { Db } from '../database/db';
import { OrgsService } from '../orgs/orgs.service';
import { IdempotencyRepository } from './idempotency.repository';

/** Drops Idempotency-Key records past IDEMPOTENCY_TTL_HOURS, on the expiry sweeper's period. */
@Injectable()
export class IdempotencyPurger extends PeriodicJob {
  private readonly logger = new Logger(IdempotencyPurger.name);
  private readonly ttlHours: number;

  constructor(
    private readonly db: Db,
    private readonly keys: IdempotencyRepository,
    private readonly orgs: OrgsService,
    config: ConfigService<Env, true>,
  ) {
    super('idempotency purge', config.get('EXPIRY_SWEEP_INTERVAL_MS', { infer: true }));
    this.ttlHours = config.get('IDEMPOTENCY_TTL_HOURS', { infer: true });
  }

  protected round(): Promise<number> {
    return this.purgeOnce();
  }

  /** One round, one org at a time (docs/scaling.md); returns how many keys were dropped. */
  async purgeOnce(): Promise<number> {
    let purged = 0;
    for (const orgId of await this.orgs.ids()) {
      if (this.stopping) break;
      purged += await this.keys.purgeOlderThan(this.db, orgId, this.ttlHours);
    }
    if (purged > 0) this.logger.log(`purged ${purged} idempotency keys`);
    return purged;
  }
}
