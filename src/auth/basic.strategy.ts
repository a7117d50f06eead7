import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { BasicStrategy as PassportBasic } from 'passport-http';
import { AuthService } from './auth.service';
import { Principal } from './principal';

@Injectable()
export class BasicStrategy extends PassportStrategy(PassportBasic, 'basic') {
  constructor(private readonly auth: AuthService) {
    super({ realm: 'points' });
  }

  async validate(username: string, password: string): Promise<Principal | false> {
    return (await this.auth.verify(username, password)) ?? false;
  }
}
