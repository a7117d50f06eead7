import { Global, Module } from '@nestjs/common';
import { OrgConfigRepository } from './org-config.repository';
import { ProgramRepository } from './program.repository';

@Global()
@Module({
  providers: [ProgramRepository, OrgConfigRepository],
  exports: [ProgramRepository, OrgConfigRepository],
})
export class ProgramsModule {}
