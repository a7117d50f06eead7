import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AuthService } from './auth.service';
import { BasicStrategy } from './basic.strategy';
import { UserRepository } from './user.repository';

@Module({
  imports: [PassportModule],
  providers: [AuthService, BasicStrategy, UserRepository],
  exports: [AuthService, UserRepository],
})
export class AuthModule {}
