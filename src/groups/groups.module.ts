import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CustomersModule } from '../customers/customers.module';
import { GroupRepository } from './group.repository';
import { GroupsService } from './groups.service';

@Module({
  imports: [CustomersModule, AuditModule],
  providers: [GroupRepository, GroupsService],
  exports: [GroupsService],
})
export class GroupsModule {}
