import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { GroupsModule } from '../groups/groups.module';
import { ValidationCodesModule } from '../validation-codes/validation-codes.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { CustomFieldRepository } from './custom-field.repository';
import { RedeemWire } from './redeem.wire';
import { RedemptionRepository } from './redemption.repository';
import { RedemptionService } from './redemption.service';
import { RedemptionsController } from './redemptions.controller';
import { RefusalTallyRepository } from './refusal-tally.repository';

@Module({
  imports: [CustomersModule, GroupsModule, IdempotencyModule, ValidationCodesModule],
  controllers: [RedemptionsController],
  providers: [
    RedemptionService,
    RedeemWire,
    RedemptionRepository,
    CustomFieldRepository,
    RefusalTallyRepository,
  ],
  exports: [RedemptionService, RedemptionRepository, CustomFieldRepository, RefusalTallyRepository],
})
export class RedemptionsModule {}
