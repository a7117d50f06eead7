import { Global, Module } from '@nestjs/common';
import { ExpirySweeper } from './expiry-sweeper';
import { LedgerCheckRepository } from './ledger-check.repository';
import { WalletRepository } from './wallet.repository';

/** Wallets, lots and the ledger. */
@Global()
@Module({
  providers: [WalletRepository, LedgerCheckRepository, ExpirySweeper],
  exports: [WalletRepository, LedgerCheckRepository, ExpirySweeper],
})
export class WalletsModule {}
