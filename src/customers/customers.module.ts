import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { ProgramsModule } from '../programs/programs.module';
import { CustomerRepository } from './customer.repository';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { CustomersWire } from './customers.wire';
import { RedemptionHistoryRepository } from './redemption-history.repository';
import { WalletSummaryRepository } from './wallet-summary.repository';

@Module({
  imports: [ProgramsModule, AuditModule, EventsModule],
  controllers: [CustomersController],
  providers: [
    CustomersService,
    CustomersWire,
    CustomerRepository,
    WalletSummaryRepository,
    RedemptionHistoryRepository,
  ],
  exports: [CustomersService],
})
export class CustomersModule {}
