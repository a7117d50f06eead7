import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { GroupRepository } from './group.repository';

@Module({
  imports: [CustomersModule],
  providers: [GroupRepository],
  exports: [GroupRepository],
})
export class GroupsModule {}
