import { Global, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { Db } from '../database/db';
import { ValidationCodesModule } from '../validation-codes/validation-codes.module';
import { NotificationRepository } from '../validation-codes/notification.repository';
import { WalletRepository } from '../wallets/wallet.repository';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

/** Points the scrape-time gauges at the pool, the outbox and the lots. */
@Injectable()
class MetricsSourcesWiring implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly outbox: NotificationRepository,
    private readonly wallets: WalletRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.readFrom({
      pool: () => this.db.poolStats(),
      outbox: () => this.outbox.backlog(this.db, this.clock.now()),
      expiryLagSeconds: () => this.wallets.expiryLagSeconds(this.db, this.clock.now()),
    });
  }
}

@Global()
@Module({
  imports: [ValidationCodesModule],
  controllers: [MetricsController],
  providers: [Metrics, MetricsSourcesWiring],
  exports: [Metrics],
})
export class MetricsModule {}
