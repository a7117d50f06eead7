import { Global, Module } from '@nestjs/common';
import { OrgConfigRepository } from './org-config.repository';
import { OrgSettings } from './org-settings';
import { ProgramRepository } from './program.repository';

@Global()
@Module({
  providers: [ProgramRepository, OrgConfigRepository, OrgSettings],
  exports: [ProgramRepository, OrgConfigRepository, OrgSettings],
})
export class ProgramsModule {}
