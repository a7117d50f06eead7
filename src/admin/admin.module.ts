import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CustomersModule } from '../customers/customers.module';
import { EarningModule } from '../earning/earning.module';
import { EventsModule } from '../events/events.module';
import { GroupsModule } from '../groups/groups.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { LedgerModule } from '../ledger/ledger.module';
import { ProgramsModule } from '../programs/programs.module';
import { RedemptionsModule } from '../redemptions/redemptions.module';
import { ReversalsModule } from '../reversals/reversals.module';
import { ValidationCodesModule } from '../validation-codes/validation-codes.module';
import { AdminController } from './admin.controller';
import { AdminCreditWire } from './admin.wire';
import { ConsoleReadRepository } from './console-read.repository';
import { ConsoleService } from './console.service';

/** The admin API: a door onto the features' use cases, plus the console's own reads. */
@Module({
  imports: [
    AuditModule,
    AuthModule,
    CustomersModule,
    EarningModule,
    EventsModule,
    GroupsModule,
    IdempotencyModule,
    LedgerModule,
    ProgramsModule,
    RedemptionsModule,
    ReversalsModule,
    ValidationCodesModule,
  ],
  controllers: [AdminController],
  providers: [AdminCreditWire, ConsoleReadRepository, ConsoleService],
})
export class AdminModule {}
