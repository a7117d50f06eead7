/**
 * Request-level failures of a use case, in the domain's words. They know nothing of HTTP:
 * the edge (the exception filter) turns each into its status and envelope.
 */

/** A field of the request and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The request names something that does not exist in the caller's org. */
export class NotFoundError extends Error {}

/** The request would break a uniqueness rule (a name or identifier already taken). */
export class ConflictError extends Error {}

/** The request cannot be carried out as given. */
export class InvalidRequestError extends Error {
  constructor(
    message: string,
    readonly fields: FieldProblem[] = [],
    /** A Capillary request-level code other than 400 (e.g. 1060: batch too large). */
    readonly code?: number,
  ) {
    super(message);
  }
}
