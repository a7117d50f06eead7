import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { ValidationCodesModule } from '../validation-codes/validation-codes.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

@Module({
  imports: [CustomersModule, ValidationCodesModule],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
