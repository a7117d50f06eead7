import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { GroupsModule } from '../groups/groups.module';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { MissedCallRepository } from '../validation-codes/missed-call.repository';
import { OtpSecret } from '../validation-codes/otp-secret';
import { ValidationCodeRepository } from '../validation-codes/validation-code.repository';
import { WalletRepository } from '../wallets/wallet.repository';
import { RedemptionRepository } from './redemption.repository';
import { RedemptionService } from './redemption.service';
import { RedemptionsController } from './redemptions.controller';

@Module({
  imports: [CustomersModule, GroupsModule],
  controllers: [RedemptionsController],
  providers: [
    RedemptionService,
    RedemptionRepository,
    WalletRepository,
    ValidationCodeRepository,
    MissedCallRepository,
    OtpSecret,
    IdempotencyService,
  ],
  exports: [RedemptionService, RedemptionRepository],
})
export class RedemptionsModule {}
