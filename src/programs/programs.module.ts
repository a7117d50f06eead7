import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OrgConfigRepository } from './org-config.repository';
import { OrgSettings } from './org-settings';
import { ProgramRepository } from './program.repository';
import { ProgramsService } from './programs.service';

/** An org's configuration and programs: read (cached) by every request, changed by operators. */
@Module({
  imports: [AuditModule],
  providers: [ProgramRepository, OrgConfigRepository, OrgSettings, ProgramsService],
  exports: [OrgSettings, ProgramsService],
})
export class ProgramsModule {}
