import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';
import { Principal } from '../auth/principal';
import { requestIdOf } from '../common/request-id';
import { bodyFormatOf } from './wire-body.middleware';
import { WireFormat } from './wire-format';

/** Everything a write endpoint's edge reads from the HTTP request. */
export interface WireRequest {
  principal: Principal;
  requestId: string;
  query: Record<string, unknown>;
  body: unknown;
  /** XML bodies arrive as `{rootElement: content}`, every leaf a string. */
  bodyFormat: WireFormat;
  idempotencyKey: string | undefined;
}

/** The request as a WireRequest (after authentication: the principal is set). */
export const FromWire = createParamDecorator((_: unknown, ctx: ExecutionContext): WireRequest => {
  const req = ctx.switchToHttp().getRequest<Request & { user: Principal }>();
  const key = req.headers['idempotency-key'];
  return {
    principal: req.user,
    requestId: requestIdOf(req),
    query: req.query,
    body: req.body,
    bodyFormat: bodyFormatOf(req),
    idempotencyKey: Array.isArray(key) ? key[0] : key,
  };
});
