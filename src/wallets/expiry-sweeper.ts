import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../common/clock';
import { PeriodicJob } from '../common/periodic-task';
import { Env } from '../config/env';
import { Db } from '../database/db';
import { Metrics } from '../metrics/metrics';
import { WalletRepository } from './wallet.repository';

const WALLETS_PER_ROUND = 200;

/**
 * The periodic half of expiry: writes EXPIRY ledger entries for lapsed lots of wallets no
 * request has touched. Wallets busy with a request are skipped (SKIP LOCKED); that request
 * sweeps them itself.
 */
@Injectable()
export class ExpirySweeper extends PeriodicJob {
  private readonly logger = new Logger(ExpirySweeper.name);

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly wallets: WalletRepository,
    private readonly metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    super('expiry sweep', config.get('EXPIRY_SWEEP_INTERVAL_MS', { infer: true }));
  }

  protected round(): Promise<number> {
    return this.sweepOnce();
  }

  /** One round; returns how many wallets had lots written off. */
  async sweepOnce(): Promise<number> {
    const now = this.clock.now();
    let swept = 0;
    for (const walletId of await this.wallets.dueForExpiry(this.db, now, WALLETS_PER_ROUND)) {
      const lapsed = await this.db.transaction(async (tx) => {
        const wallet = await this.wallets.tryLockById(tx, walletId);
        if (!wallet) return undefined;
        const swept = await this.wallets.sweep(tx, wallet, now, {
          type: 'system',
          id: null,
          requestId: 'expiry-sweeper',
        });
        return swept.lapsed;
      });
      if (lapsed === undefined) continue;
      // Counted once committed.
      this.metrics.lotsExpired.inc(lapsed);
      swept++;
    }
    if (swept > 0) this.logger.log(`expired lots in ${swept} wallets`);
    return swept;
  }
}
