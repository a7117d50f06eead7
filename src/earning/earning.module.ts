import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CustomersModule } from '../customers/customers.module';
import { GroupsModule } from '../groups/groups.module';
import { LedgerModule } from '../ledger/ledger.module';
import { ProgramsModule } from '../programs/programs.module';
import { EarningService } from './earning.service';

/** Earning: points credited as new lots. */
@Module({
  imports: [AuditModule, CustomersModule, GroupsModule, LedgerModule, ProgramsModule],
  providers: [EarningService],
  exports: [EarningService],
})
export class EarningModule {}
