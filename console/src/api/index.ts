export { ENDPOINTS, endpoint } from './endpoints';
export type { Endpoint, Method } from './endpoints';
export { ApiError, UNREACHABLE, basicToken, createApi, send } from './client';
export type { Api, CallOptions } from './client';
export type * from './types';
export { AUDIT_ACTIONS, RESERVED_WEBHOOK_EVENTS, WEBHOOK_EVENTS } from './types';
