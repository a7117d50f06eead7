import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { LedgerModule } from '../ledger/ledger.module';
import { ReversalRepository } from './reversal.repository';
import { ReversalService } from './reversal.service';
import { ReversalsController } from './reversals.controller';
import { ReversalWire } from './reversal.wire';

@Module({
  imports: [CustomersModule, IdempotencyModule, LedgerModule],
  controllers: [ReversalsController],
  providers: [ReversalService, ReversalWire, ReversalRepository],
  exports: [ReversalService],
})
export class ReversalsModule {}
