import { Global, Module } from '@nestjs/common';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ExpirySweeper } from './expiry-sweeper';
import { WalletRepository } from './wallet.repository';

/** Wallets, lots and the ledger; also the one IdempotencyService every write endpoint shares. */
@Global()
@Module({
  providers: [WalletRepository, IdempotencyService, ExpirySweeper],
  exports: [WalletRepository, IdempotencyService, ExpirySweeper],
})
export class WalletsModule {}
