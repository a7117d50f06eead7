import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { ExpirySweeper } from './expiry-sweeper';
import { LedgerCheckRepository } from './ledger-check.repository';
import { LedgerCheckService } from './ledger-check.service';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

/**
 * Wallets, lots, allocations and the ledger: every balance movement (spend, refill, credit,
 * expire), the expiry sweeper and the ledger check. Nothing else writes these tables.
 */
@Module({
  imports: [OrgsModule],
  providers: [
    LedgerRepository,
    LedgerService,
    LedgerCheckRepository,
    LedgerCheckService,
    ExpirySweeper,
  ],
  exports: [LedgerService, LedgerCheckService, ExpirySweeper],
})
export class LedgerModule {}
