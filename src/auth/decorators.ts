import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Level, Principal, Resource } from './principal';

export const PUBLIC_KEY = 'auth:public';
export const PERMISSION_KEY = 'auth:permission';

/** No credentials needed (health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export interface RequiredPermission {
  resource: Resource;
  level: Exclude<Level, 'none'>;
}

/** The access-group grant a route needs, e.g. `@RequirePermission('points', 'write')`. */
export const RequirePermission = (
  resource: Resource,
  level: Exclude<Level, 'none'>,
): MethodDecorator & ClassDecorator =>
  SetMetadata(PERMISSION_KEY, { resource, level } satisfies RequiredPermission);

/** The authenticated till or admin. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal =>
    ctx.switchToHttp().getRequest<{ user: Principal }>().user,
);
