import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { Request, Response } from 'express';
import { ApiError } from '../capillary/api-error';

/** The Basic-auth username, read (not verified) from the header. */
export function claimedUsername(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}

/**
 * One budget per till across every endpoint. It runs before authentication so that a
 * flood of guesses at one till's password is limited too; callers without credentials are
 * counted by address.
 */
@Injectable()
export class TillThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request;
    const username = claimedUsername(request);
    return Promise.resolve(username ? `till:${username}` : `ip:${request.ip ?? 'unknown'}`);
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
