import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { GroupsModule } from '../groups/groups.module';
import { ValidationCodesModule } from '../validation-codes/validation-codes.module';
import { RedemptionRepository } from './redemption.repository';
import { RedemptionService } from './redemption.service';
import { RedemptionsController } from './redemptions.controller';

@Module({
  imports: [CustomersModule, GroupsModule, ValidationCodesModule],
  controllers: [RedemptionsController],
  providers: [RedemptionService, RedemptionRepository],
  exports: [RedemptionService, RedemptionRepository],
})
export class RedemptionsModule {}
