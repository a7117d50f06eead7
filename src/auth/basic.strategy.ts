import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { BasicStrategy as PassportBasic } from 'passport-http';
import { AuthService } from './auth.service';
import { BasicCredentials, parseBasicAuthorization } from './basic-credentials';
import { clientAddress } from './client-address';
import { Principal } from './principal';

/** What passport adds to a strategy for the one request it authenticates. */
interface StrategyRequestActions {
  success(user: unknown): void;
  fail(challenge: string | number): void;
  error(err: unknown): void;
  _challenge(): string;
  _verify(
    req: Request,
    credentials: BasicCredentials | 'malformed',
    done: (err: unknown, user?: Principal | false) => void,
  ): void;
}

@Injectable()
export class BasicStrategy extends PassportStrategy(PassportBasic, 'basic') {
  constructor(private readonly auth: AuthService) {
    super({ realm: 'points', passReqToCallback: true });
  }

  async validate(
    req: Request,
    credentials: BasicCredentials | 'malformed',
  ): Promise<Principal | false> {
    return (await this.auth.authenticate(credentials, clientAddress(req))) ?? false;
  }

  /**
   * The header is parsed here, once (parseBasicAuthorization), instead of by passport-http:
   * its parser accepts any scheme containing "Basic", splits a password at its colons, and
   * uses the deprecated `new Buffer()`, on which Node walks the caller's stack.
   */
  override authenticate(req: Request): void {
    const self = this as unknown as StrategyRequestActions;
    const credentials = parseBasicAuthorization(req.headers.authorization);
    // No credentials at all is a question, not a guess: the challenge, and nothing counted.
    if (credentials === 'absent') return self.fail(self._challenge());
    self._verify(req, credentials, (err, user) => {
      if (err) return self.error(err);
      if (!user) return self.fail(self._challenge());
      self.success(user);
    });
  }
}
