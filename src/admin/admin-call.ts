import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';
import { Principal } from '../auth/principal';
import { requestIdOf } from '../common/request-id';
import { AdminCall } from '../audit/audit.service';

/** The signed-in admin with the request's id (after authentication: the principal is set). */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): AdminCall => {
  const req = ctx.switchToHttp().getRequest<Request & { user: Principal }>();
  return { ...req.user, requestId: requestIdOf(req) };
});
