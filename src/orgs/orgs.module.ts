import { Global, Module } from '@nestjs/common';
import { OrgRepository } from './org.repository';

@Global()
@Module({ providers: [OrgRepository], exports: [OrgRepository] })
export class OrgsModule {}
