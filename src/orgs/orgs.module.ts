import { Module } from '@nestjs/common';
import { OrgRepository } from './org.repository';
import { OrgsService } from './orgs.service';

@Module({ providers: [OrgRepository, OrgsService], exports: [OrgsService] })
export class OrgsModule {}
