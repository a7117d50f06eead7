import {
  CanActivate,
  ExecutionContext,
  HttpStatus,
  Injectable,
  MethodNotAllowedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { Request } from 'express';
import { ApiError } from '../capillary/api-error';
import { PERMISSION_KEY, PUBLIC_KEY, RequiredPermission } from './decorators';
import { Level, LEVEL_RANK, Principal, Resource } from './principal';

function isPublic(reflector: Reflector, ctx: ExecutionContext): boolean {
  return (
    reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [ctx.getHandler(), ctx.getClass()]) === true
  );
}

/** What this request needs of the caller's access group; undefined when the route declares nothing. */
function requiredFor(
  reflector: Reflector,
  ctx: ExecutionContext,
): { resource: Resource; level: Exclude<Level, 'none'> } | undefined {
  const required = reflector.getAllAndOverride<RequiredPermission | undefined>(PERMISSION_KEY, [
    ctx.getHandler(),
    ctx.getClass(),
  ]);
  if (!required) return undefined;
  const req = ctx.switchToHttp().getRequest<Request>();
  const writes = required.level === 'write' || required.writesWhen?.(req) === true;
  return { resource: required.resource, level: writes ? 'write' : required.level };
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

/**
 * HEAD and OPTIONS never change anything. Express answers HEAD with a route's GET handler,
 * so on a route that writes (the GET form of redeem, issuing a code) they are a 405 before
 * anything else runs, body or not.
 */
@Injectable()
export class SafeMethodGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const { method } = ctx.switchToHttp().getRequest<Request>();
    if (method !== 'HEAD' && method !== 'OPTIONS') return true;
    if (isPublic(this.reflector, ctx)) return true;
    if (requiredFor(this.reflector, ctx)?.level === 'read') return true;
    throw new MethodNotAllowedException();
  }
}

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
    const required = requiredFor(this.reflector, ctx);
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
