import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { ReversalRepository } from './reversal.repository';
import { ReversalService } from './reversal.service';
import { ReversalsController } from './reversals.controller';

@Module({
  imports: [CustomersModule],
  controllers: [ReversalsController],
  providers: [ReversalService, ReversalRepository],
})
export class ReversalsModule {}
