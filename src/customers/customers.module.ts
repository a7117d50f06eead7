import { Module } from '@nestjs/common';
import { CustomerRepository } from './customer.repository';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { WalletSummaryRepository } from './wallet-summary.repository';

@Module({
  controllers: [CustomersController],
  providers: [CustomersService, CustomerRepository, WalletSummaryRepository],
  exports: [CustomerRepository, WalletSummaryRepository],
})
export class CustomersModule {}
