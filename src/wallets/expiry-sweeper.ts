import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../common/clock';
import { Env } from '../config/env';
import { Db } from '../database/db';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { PeriodicTask } from '../common/periodic-task';
import { WalletRepository } from './wallet.repository';

const WALLETS_PER_ROUND = 200;

/**
 * The periodic half of expiry: writes EXPIRY ledger entries for lapsed lots of wallets no
 * request has touched, and drops idempotency keys past their retention. Wallets busy with a
 * request are skipped (SKIP LOCKED); that request sweeps them itself.
 */
@Injectable()
export class ExpirySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpirySweeper.name);
  private readonly keyTtlHours: number;
  private readonly task: PeriodicTask;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly wallets: WalletRepository,
    private readonly idempotency: IdempotencyService,
    config: ConfigService<Env, true>,
  ) {
    this.keyTtlHours = config.get('IDEMPOTENCY_TTL_HOURS', { infer: true });
    this.task = new PeriodicTask(
      'expiry sweep',
      config.get('EXPIRY_SWEEP_INTERVAL_MS', { infer: true }),
      () => this.sweepOnce(),
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One round; returns how many wallets had lots written off. */
  async sweepOnce(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db.query<{ wallet_id: string }>(
      `SELECT DISTINCT wallet_id FROM lot
        WHERE remaining > 0 AND expires_at <= $1 LIMIT $2`,
      [now, WALLETS_PER_ROUND],
    );
    let swept = 0;
    for (const { wallet_id } of due) {
      const done = await this.db.transaction(async (tx) => {
        const wallet = await this.wallets.tryLockById(tx, wallet_id);
        if (!wallet) return false;
        await this.wallets.sweep(tx, wallet, now, {
          type: 'system',
          id: null,
          requestId: 'expiry-sweeper',
        });
        return true;
      });
      if (done) swept++;
    }
    const purged = await this.idempotency.purge(this.keyTtlHours);
    if (swept > 0 || purged > 0) {
      this.logger.log(`expired lots in ${swept} wallets; purged ${purged} idempotency keys`);
    }
    return swept;
  }
}
