import { Request } from 'express';

/** The id the first middleware gave this request (also in the logs and the response header). */
export const requestIdOf = (req: Request): string => (typeof req.id === 'string' ? req.id : '');
