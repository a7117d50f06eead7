import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Request } from 'express';
import { clientAddress } from './client-address';
import { Level, Principal, Resource } from './principal';

export const PUBLIC_KEY = 'auth:public';
export const PERMISSION_KEY = 'auth:permission';

/** No credentials needed (health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export interface RequiredPermission {
  resource: Resource;
  level: Exclude<Level, 'none'>;
  /** A read route that writes for some requests (e.g. a dry run that issues a code). */
  writesWhen?: (req: Request) => boolean;
}

/**
 * The access-group grant a route needs, e.g. `@RequirePermission('points', 'write')`; with
 * `writesWhen`, a read route needs write for the requests it matches.
 */
export const RequirePermission = (
  resource: Resource,
  level: Exclude<Level, 'none'>,
  writesWhen?: (req: Request) => boolean,
): MethodDecorator & ClassDecorator =>
  SetMetadata(PERMISSION_KEY, { resource, level, writesWhen } satisfies RequiredPermission);

/** The authenticated till or admin. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal =>
    ctx.switchToHttp().getRequest<{ user: Principal }>().user,
);

/** The address the caller's sign-in budget counts by (see client-address.ts). */
export const ClientAddress = createParamDecorator((_: unknown, ctx: ExecutionContext): string =>
  clientAddress(ctx.switchToHttp().getRequest<Request>()),
);
