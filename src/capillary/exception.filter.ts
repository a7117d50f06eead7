import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { Request, Response } from 'express';
import { SignInBusyError, SignInThrottledError } from '../auth/sign-in-errors';
import { ConflictError, InvalidRequestError, NotFoundError } from '../common/errors';
import {
  IdempotencyKeyBusyError,
  IdempotencyKeyReusedError,
  InvalidIdempotencyKeyError,
  LeaseLostError,
} from '../idempotency/idempotency-errors';
import { DatabaseUnavailableError, LockTimeoutError } from '../database/db';
import { sqlState } from '../database/pg-errors';
import { requestIdOf } from '../common/request-id';
import { ApiError } from './api-error';
import { status, v11Envelope, v2Errors } from './envelope';
import { sendWire } from './send-wire';

const MESSAGES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized: invalid credentials',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported content type: send application/json (or XML on the till API)',
  422: 'Unprocessable request',
  429: 'Too many requests: rate limit exceeded',
  500: 'Internal server error',
  503: 'Service temporarily unavailable; retry',
};

/** Finds which methods a path answers to, so a wrong method is a 405 rather than a 404. */
export type AllowedMethods = (path: string) => string[];

/**
 * Owns every error body. v2 paths answer `{"errors":[…]}`, everything else the v1.1
 * envelope; an unknown error is a bare 500 with the request id, its detail only in the log.
 */
@Catch()
export class CapillaryExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly allowedMethods?: AllowedMethods) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const error = this.toApiError(exception, req);
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    sendWire(res, error.httpStatus, this.body(error, req));
  }

  private body(error: ApiError, req: Request): unknown {
    if (req.path.startsWith('/v2/')) return v2Errors(error.code, error.message);
    const extra = error.fieldErrors.length > 0 ? { errors: error.fieldErrors } : {};
    return v11Envelope(status(false, error.code, error.message), extra);
  }

  private toApiError(exception: unknown, req: Request): ApiError {
    if (exception instanceof ApiError) return exception;
    if (exception instanceof InvalidRequestError) {
      return new ApiError(
        HttpStatus.BAD_REQUEST,
        exception.code ?? HttpStatus.BAD_REQUEST,
        exception.message,
        exception.fields,
      );
    }
    if (exception instanceof NotFoundError) return ApiError.notFound(exception.message);
    if (exception instanceof ConflictError) return ApiError.conflict(exception.message);
    if (exception instanceof InvalidIdempotencyKeyError) {
      return ApiError.badRequest(exception.message, [
        { field: 'Idempotency-Key', message: '1-255 visible ASCII characters' },
      ]);
    }
    if (exception instanceof IdempotencyKeyReusedError) {
      const status = HttpStatus.UNPROCESSABLE_ENTITY;
      return new ApiError(status, status, exception.message);
    }
    if (exception instanceof IdempotencyKeyBusyError || exception instanceof LeaseLostError) {
      return ApiError.conflict(exception.message);
    }
    if (exception instanceof DatabaseUnavailableError || exception instanceof LockTimeoutError) {
      this.logger.warn(`${req.method} ${req.path} [${requestIdOf(req)}]: ${exception.message}`);
      const code = exception instanceof LockTimeoutError ? 521 : HttpStatus.SERVICE_UNAVAILABLE;
      return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, code, MESSAGES[503], [], {
        'Retry-After': '1',
      });
    }
    if (exception instanceof SignInThrottledError) {
      return new ApiError(
        HttpStatus.TOO_MANY_REQUESTS,
        HttpStatus.TOO_MANY_REQUESTS,
        'Too many failed sign-ins from this address; retry later',
        [],
        {
          'Retry-After': String(exception.retryAfterSec),
          'X-RateLimit-Limit': String(exception.limit),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(exception.retryAfterSec),
        },
      );
    }
    if (exception instanceof SignInBusyError) {
      return new ApiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        HttpStatus.SERVICE_UNAVAILABLE,
        'Too many sign-ins are being checked; retry shortly',
        [],
        { 'Retry-After': '1' },
      );
    }
    if (exception instanceof HttpException) {
      let httpStatus: number = exception.getStatus();
      const headers: Record<string, string> = {};
      if (httpStatus === 405 && this.allowedMethods) {
        headers.Allow = this.allowedMethods(req.path).join(', ');
      }
      if (httpStatus === 404 && this.allowedMethods) {
        const allowed = this.allowedMethods(req.path);
        if (allowed.length > 0) {
          httpStatus = 405;
          headers.Allow = allowed.join(', ');
        }
      }
      if (httpStatus === 401) {
        headers['WWW-Authenticate'] = 'Basic realm="points"';
      }
      const message =
        httpStatus === 404
          ? `No route for ${req.method} ${req.path}`
          : (MESSAGES[httpStatus] ?? exception.message);
      return new ApiError(httpStatus, httpStatus, message, [], headers);
    }
    // Class 22 (data exception: out of range, bad encoding, …) is a value the client sent
    // that slipped past validation: still the client's error, never a 500.
    if (sqlState(exception)?.startsWith('22')) {
      this.logger.warn(
        `${req.method} ${req.path} [${requestIdOf(req)}]: rejected by the database as invalid data`,
      );
      return ApiError.badRequest('Invalid value in the request');
    }
    this.logger.error(
      { err: exception, path: req.path, requestId: requestIdOf(req) },
      'unexpected error',
    );
    return new ApiError(500, 500, MESSAGES[500]);
  }
}
