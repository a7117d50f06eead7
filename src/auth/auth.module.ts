import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '../audit/audit.module';
import { OrgsModule } from '../orgs/orgs.module';
import { AuthService } from './auth.service';
import { BasicStrategy } from './basic.strategy';
import { TillsService } from './tills.service';
import { UserRepository } from './user.repository';

@Module({
  imports: [PassportModule, AuditModule, OrgsModule],
  providers: [AuthService, BasicStrategy, UserRepository, TillsService],
  exports: [AuthService, TillsService],
})
export class AuthModule {}
