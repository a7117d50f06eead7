import { HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A request-level failure: the whole request cannot be served. `code` is what goes into
 * `status.code` (v1.1) or `errors[0].code` (v2); it equals the HTTP status except where
 * Capillary defines its own (e.g. 1060 batch too large).
 */
export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static badRequest(message: string, fieldErrors: FieldError[] = []): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, HttpStatus.BAD_REQUEST, message, fieldErrors);
  }

  static notFound(message: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, HttpStatus.NOT_FOUND, message);
  }

  static conflict(message: string): ApiError {
    return new ApiError(HttpStatus.CONFLICT, HttpStatus.CONFLICT, message);
  }
}
