import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CustomersModule } from '../customers/customers.module';
import { ProgramsModule } from '../programs/programs.module';
import { MissedCallRepository } from './missed-call.repository';
import { NotificationRepository } from './notification.repository';
import { LogNotificationGateway, NotificationGateway } from './notification-gateway';
import { OtpSecret } from './otp-secret';
import { OutboxSender } from './outbox-sender';
import { ValidationCodeRepository } from './validation-code.repository';
import { ValidationCodeService } from './validation-code.service';
import { ValidationCodeWire } from './validation-code.wire';
import { ValidationCodesController } from './validation-codes.controller';

@Module({
  imports: [CustomersModule, ProgramsModule, AuditModule],
  controllers: [ValidationCodesController],
  providers: [
    OtpSecret,
    ValidationCodeRepository,
    MissedCallRepository,
    NotificationRepository,
    ValidationCodeService,
    ValidationCodeWire,
    OutboxSender,
    { provide: NotificationGateway, useClass: LogNotificationGateway },
  ],
  exports: [ValidationCodeService],
})
export class ValidationCodesModule {}
