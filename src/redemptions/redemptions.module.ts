import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CustomersModule } from '../customers/customers.module';
import { GroupsModule } from '../groups/groups.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { LedgerModule } from '../ledger/ledger.module';
import { ProgramsModule } from '../programs/programs.module';
import { ValidationCodesModule } from '../validation-codes/validation-codes.module';
import { CustomFieldRepository } from './custom-field.repository';
import { CustomFieldsService } from './custom-fields.service';
import { RedeemWire } from './redeem.wire';
import { RedemptionRepository } from './redemption.repository';
import { RedemptionService } from './redemption.service';
import { RedemptionsController } from './redemptions.controller';
import { RefusalTallyRepository } from './refusal-tally.repository';

@Module({
  imports: [
    AuditModule,
    CustomersModule,
    GroupsModule,
    IdempotencyModule,
    LedgerModule,
    ProgramsModule,
    ValidationCodesModule,
  ],
  controllers: [RedemptionsController],
  providers: [
    RedemptionService,
    RedeemWire,
    RedemptionRepository,
    CustomFieldRepository,
    CustomFieldsService,
    RefusalTallyRepository,
  ],
  exports: [RedemptionService, CustomFieldsService],
})
export class RedemptionsModule {}
