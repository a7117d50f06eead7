import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../common/clock';
import { PeriodicJob } from '../common/periodic-task';
import { Env } from '../config/env';
import { Db } from '../database/db';
import { Metrics } from '../metrics/metrics';
import { OrgsService } from '../orgs/orgs.service';
import { LedgerRepository } from './ledger.repository';
import { Actor, LapsePosition } from './wallet';

/** Lapsed lots looked at per batch; their wallets are swept in one transaction. */
const LOTS_PER_BATCH = 500;
const SWEEPER: Actor = { type: 'system', id: null, requestId: 'expiry-sweeper' };

/**
 * The periodic half of expiry: writes EXPIRY ledger entries for lapsed lots of wallets no
 * request has touched. A round takes one org at a time and walks its lapsed lots in lapsing
 * order (keyset) in batches: per batch, one short transaction of that org locks the batch's
 * wallets that are free (SKIP LOCKED: a request holding one sweeps it itself, and another
 * instance's sweeper skips this one's) and writes their lapsed lots off set-based. No
 * statement spans two orgs (docs/scaling.md). A round ends when it has passed every lot
 * lapsed at its start, or when the application stops.
 */
@Injectable()
export class ExpirySweeper extends PeriodicJob {
  private readonly logger = new Logger(ExpirySweeper.name);

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly wallets: LedgerRepository,
    private readonly orgs: OrgsService,
    private readonly metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    super('expiry sweep', config.get('EXPIRY_SWEEP_INTERVAL_MS', { infer: true }));
    // How far behind the sweep is, read at scrape time.
    metrics.readFrom({ expiryLagSeconds: () => wallets.expiryLagSeconds(db, clock.now()) });
  }

  protected round(): Promise<number> {
    return this.sweepOnce();
  }

  /** One round; returns how many wallets had lots written off. */
  async sweepOnce(): Promise<number> {
    const now = this.clock.now();
    let wallets = 0;
    let lots = 0;
    for (const orgId of await this.orgs.ids()) {
      if (this.stopping) break;
      const swept = await this.sweepOrg(orgId, now);
      wallets += swept.wallets;
      lots += swept.lots;
    }
    if (lots > 0) this.logger.log(`expired ${lots} lots in ${wallets} wallets`);
    return wallets;
  }

  /** The org's lots lapsed by `now`, batch by batch. */
  private async sweepOrg(orgId: number, now: Date): Promise<{ wallets: number; lots: number }> {
    let wallets = 0;
    let lots = 0;
    let after: LapsePosition | undefined;
    do {
      const due = await this.wallets.dueForExpiry(this.db, orgId, now, LOTS_PER_BATCH, after);
      after = due.next;
      if (due.walletIds.length === 0) break;
      const swept = await this.db.transaction(async (tx) => {
        const locked = await this.wallets.tryLockMany(tx, orgId, due.walletIds);
        const expired =
          locked.length === 0 ? [] : await this.wallets.expire(tx, orgId, locked, now, SWEEPER);
        return { wallets: locked.length, lots: expired.reduce((n, w) => n + w.lots, 0) };
      });
      // Counted once committed.
      this.metrics.lotsExpired.inc(swept.lots);
      wallets += swept.wallets;
      lots += swept.lots;
    } while (after && !this.stopping);
    return { wallets, lots };
  }
}
