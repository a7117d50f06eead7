import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiError } from '../capillary/api-error';
import { PERMISSION_KEY, PUBLIC_KEY, RequiredPermission } from './decorators';
import { LEVEL_RANK, Principal } from './principal';

function isPublic(reflector: Reflector, ctx: ExecutionContext): boolean {
  return (
    reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [ctx.getHandler(), ctx.getClass()]) === true
  );
}

export const unauthorized = (): ApiError =>
  new ApiError(
    HttpStatus.UNAUTHORIZED,
    HttpStatus.UNAUTHORIZED,
    'Unauthorized: invalid credentials',
    [],
    {
      'WWW-Authenticate': 'Basic realm="points"',
    },
  );

/** HTTP Basic on every route but the public ones. */
@Injectable()
export class BasicAuthGuard extends AuthGuard('basic') {
  constructor(private readonly reflector: Reflector) {
    super({ session: false });
  }

  override canActivate(ctx: ExecutionContext): ReturnType<CanActivate['canActivate']> {
    if (isPublic(this.reflector, ctx)) return true;
    return super.canActivate(ctx);
  }

  override handleRequest<T = Principal>(err: unknown, user: T | false): T {
    if (err) throw err instanceof Error ? err : unauthorized();
    if (!user) throw unauthorized();
    return user;
  }
}

/** Reads `@RequirePermission` and checks it against the caller's access group. */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (isPublic(this.reflector, ctx)) return true;
    const required = this.reflector.getAllAndOverride<RequiredPermission | undefined>(
      PERMISSION_KEY,
      [ctx.getHandler(), ctx.getClass()],
    );
    // A route without a declared permission is a programming error: deny, never allow.
    if (!required) throw forbidden();
    const principal = ctx.switchToHttp().getRequest<{ user?: Principal }>().user;
    const granted = principal?.permissions[required.resource] ?? 'none';
    if (LEVEL_RANK[granted] < LEVEL_RANK[required.level]) throw forbidden();
    return true;
  }
}

const forbidden = (): ApiError =>
  new ApiError(
    HttpStatus.FORBIDDEN,
    HttpStatus.FORBIDDEN,
    'Forbidden: access group does not allow this',
  );
