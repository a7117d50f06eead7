import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { BasicStrategy as PassportBasic } from 'passport-http';
import { AuthService } from './auth.service';
import { Principal } from './principal';

/** What passport adds to a strategy for the one request it authenticates. */
interface StrategyRequestActions {
  success(user: unknown): void;
  fail(challenge: string | number): void;
  error(err: unknown): void;
  _challenge(): string;
  _verify(
    username: string,
    password: string,
    done: (err: unknown, user?: Principal | false) => void,
  ): void;
}

@Injectable()
export class BasicStrategy extends PassportStrategy(PassportBasic, 'basic') {
  constructor(private readonly auth: AuthService) {
    super({ realm: 'points' });
  }

  async validate(username: string, password: string): Promise<Principal | false> {
    return (await this.auth.verify(username, password)) ?? false;
  }

  /**
   * passport-http's own parsing, step for step, with Buffer.from: its `new Buffer()` is
   * deprecated, and Node walks the caller's stack on each of the first 10,000 such calls
   * to decide whether to warn, which is a measurable share of a redemption's CPU.
   */
  override authenticate(req: Request): void {
    const self = this as unknown as StrategyRequestActions;
    const authorization = req.headers.authorization;
    if (!authorization) return self.fail(self._challenge());
    const parts = authorization.split(' ');
    if (parts.length < 2) return self.fail(400);
    const credentials = Buffer.from(parts[1], 'base64').toString().split(':');
    if (!/Basic/i.test(parts[0])) return self.fail(self._challenge());
    if (credentials.length < 2) return self.fail(400);
    const [username, password] = credentials;
    if (!username || !password) return self.fail(self._challenge());
    self._verify(username, password, (err, user) => {
      if (err) return self.error(err);
      if (!user) return self.fail(self._challenge());
      self.success(user);
    });
  }
}
