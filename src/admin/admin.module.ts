import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { MissedCallRepository } from '../validation-codes/missed-call.repository';
import { WalletRepository } from '../wallets/wallet.repository';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

@Module({
  imports: [CustomersModule],
  controllers: [AdminController],
  providers: [AdminService, WalletRepository, MissedCallRepository],
})
export class AdminModule {}
