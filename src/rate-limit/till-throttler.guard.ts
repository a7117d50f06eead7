import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { Request, Response } from 'express';
import { Principal } from '../auth/principal';
import { ApiError } from '../capillary/api-error';

/**
 * One budget per till across every endpoint. It runs after authentication and counts only
 * signed-in requests: wrong passwords sent under a till's name never use up its budget
 * (they meet the per-address sign-in budget instead). Public routes are not counted.
 */
@Injectable()
export class TillThrottlerGuard extends ThrottlerGuard {
  protected override shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    return Promise.resolve(ctx.switchToHttp().getRequest<Request>().user === undefined);
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(`till:${(req.user as Principal).username}`);
  }

  protected override generateKey(_ctx: ExecutionContext, tracker: string, name: string): string {
    return `rl:${name}:${tracker}`;
  }

  protected override throwThrottlingException(
    ctx: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const res = ctx.switchToHttp().getResponse<Response>();
    res.setHeader('X-RateLimit-Limit', String(detail.limit));
    res.setHeader('X-RateLimit-Remaining', '0');
    res.setHeader('X-RateLimit-Reset', String(detail.timeToBlockExpire));
    throw new ApiError(
      HttpStatus.TOO_MANY_REQUESTS,
      HttpStatus.TOO_MANY_REQUESTS,
      'Too many requests: rate limit exceeded',
    );
  }
}
