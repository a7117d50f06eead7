import { Module } from '@nestjs/common';
import { CustomerRepository } from './customer.repository';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { CustomersWire } from './customers.wire';
import { WalletSummaryRepository } from './wallet-summary.repository';
import { RedemptionHistoryRepository } from './redemption-history.repository';

@Module({
  controllers: [CustomersController],
  providers: [
    CustomersService,
    CustomersWire,
    CustomerRepository,
    WalletSummaryRepository,
    RedemptionHistoryRepository,
  ],
  exports: [CustomerRepository, WalletSummaryRepository, RedemptionHistoryRepository],
})
export class CustomersModule {}
