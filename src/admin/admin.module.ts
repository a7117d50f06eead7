import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CustomersModule } from '../customers/customers.module';
import { GroupsModule } from '../groups/groups.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { RedemptionsModule } from '../redemptions/redemptions.module';
import { ReversalsModule } from '../reversals/reversals.module';
import { AuditRepository } from '../audit/audit.repository';
import { ConsoleReadRepository } from './console-read.repository';
import { ConsoleService } from './console.service';
import { ValidationCodesModule } from '../validation-codes/validation-codes.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';
import { AdminCreditWire } from './admin.wire';

@Module({
  imports: [
    AuthModule,
    CustomersModule,
    GroupsModule,
    IdempotencyModule,
    RedemptionsModule,
    ReversalsModule,
    ValidationCodesModule,
  ],
  controllers: [AdminController],
  providers: [
    AdminService,
    AdminCreditWire,
    AuditRepository,
    ConsoleReadRepository,
    ConsoleService,
  ],
})
export class AdminModule {}
