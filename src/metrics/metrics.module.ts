import { Global, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { Db } from '../database/db';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

/** Points the pool gauge at the pool; the features register their own sources. */
@Injectable()
class PoolMetricsWiring implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly db: Db,
  ) {}

  onModuleInit(): void {
    this.metrics.readFrom({ pool: () => this.db.poolStats() });
  }
}

/** Infrastructure every module counts into: global. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics, PoolMetricsWiring],
  exports: [Metrics],
})
export class MetricsModule {}
