/**
 * Every admin endpoint the console calls, as (method, OpenAPI path template). Plain data with
 * no DOM or React imports, so a backend test can check it against the service's OpenAPI
 * document. The client (client.ts) can only call what is listed here.
 */
export const ENDPOINTS = [
  { method: 'get', path: '/admin/config' },
  { method: 'patch', path: '/admin/config' },
  { method: 'get', path: '/admin/programs' },
  { method: 'post', path: '/admin/programs' },
  { method: 'patch', path: '/admin/programs/{id}' },
  { method: 'get', path: '/admin/access-groups' },
  { method: 'get', path: '/admin/tills' },
  { method: 'post', path: '/admin/tills' },
  { method: 'patch', path: '/admin/tills/{id}' },
  { method: 'post', path: '/admin/me/password' },
  { method: 'get', path: '/admin/customers' },
  { method: 'post', path: '/admin/customers' },
  { method: 'get', path: '/admin/customers/{id}' },
  { method: 'patch', path: '/admin/customers/{id}' },
  { method: 'get', path: '/admin/customers/{id}/lots' },
  { method: 'get', path: '/admin/customers/{id}/ledger' },
  { method: 'get', path: '/admin/customers/{id}/redemptions' },
  { method: 'post', path: '/admin/redemptions/{code}/reverse' },
  { method: 'post', path: '/admin/points/credit' },
  { method: 'get', path: '/admin/groups' },
  { method: 'post', path: '/admin/groups' },
  { method: 'get', path: '/admin/groups/{id}' },
  { method: 'patch', path: '/admin/groups/{id}' },
  { method: 'post', path: '/admin/groups/{id}/members' },
  { method: 'get', path: '/admin/missed-calls' },
  { method: 'post', path: '/admin/missed-calls' },
  { method: 'get', path: '/admin/notifications' },
  { method: 'get', path: '/admin/stats' },
  { method: 'get', path: '/admin/ledger/verify' },
  { method: 'get', path: '/admin/audit' },
  { method: 'get', path: '/admin/webhooks' },
  { method: 'post', path: '/admin/webhooks' },
  { method: 'patch', path: '/admin/webhooks/{id}' },
  { method: 'post', path: '/admin/webhooks/{id}/rotate' },
  { method: 'get', path: '/admin/webhooks/{id}/deliveries' },
  { method: 'post', path: '/admin/webhooks/deliveries/{id}/retry' },
] as const;

export type Endpoint = (typeof ENDPOINTS)[number];
export type Method = Endpoint['method'];
export type PathOf<M extends Method> = Extract<Endpoint, { method: M }>['path'];

/** The listed entry for (method, path); the types refuse a pair that is not in the list. */
export function endpoint<M extends Method>(method: M, path: PathOf<M>): Endpoint {
  const found = ENDPOINTS.find((e) => e.method === method && e.path === path);
  if (!found) throw new Error(`Unlisted endpoint ${method.toUpperCase()} ${path}`);
  return found;
}
