import { endpoint, type Endpoint } from './endpoints';
import type {
  AccessGroup,
  AuditPage,
  AuditQuery,
  CreditRequest,
  CreditResult,
  Customer,
  CustomerCreate,
  CustomerPatch,
  CustomerWithWallets,
  DeliveryRetry,
  ErrorEnvelope,
  FieldError,
  Group,
  GroupCreate,
  LedgerCheck,
  LedgerPage,
  Lot,
  MissedCall,
  Notification,
  OrgConfig,
  OrgConfigPatch,
  OwnPasswordChange,
  Program,
  ProgramCreate,
  ProgramInput,
  RedemptionPage,
  ReverseRequest,
  ReverseResult,
  Stats,
  Till,
  TillCreate,
  TillPatch,
  WebhookCreate,
  WebhookCreated,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookPatch,
  WebhookRotation,
} from './types';

/** The message shown whenever the service is down or failed (network error or 5xx). */
export const UNREACHABLE = 'Cannot reach the service';

/** An answer other than 2xx, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** No answer, or a 5xx: the service is down or broken, not the request. */
  get unreachable(): boolean {
    return this.status === 0 || this.status >= 500;
  }

  /** The messages for one field of the request, joined; undefined when it has none. */
  fieldError(field: string): string | undefined {
    const messages = this.fieldErrors.filter((e) => e.field === field).map((e) => e.message);
    return messages.length ? messages.join('; ') : undefined;
  }
}

/** The HTTP Basic credential for username:password (UTF-8, base64). */
export function basicToken(username: string, password: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${username}:${password}`)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}

type QueryValue = string | number | boolean | null | undefined;

export interface CallOptions {
  /** Values for the `{param}` placeholders of the endpoint's path. */
  params?: Record<string, string | number>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

function pathOf(template: string, params: CallOptions['params']): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`Missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}

function queryOf(query: CallOptions['query']): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function errorFrom(status: number, body: unknown): ApiError {
  const envelope = (body ?? {}) as ErrorEnvelope;
  const message = envelope.response?.status?.message;
  const errors = Array.isArray(envelope.response?.errors) ? envelope.response.errors : [];
  if (status >= 500) {
    return new ApiError(status, `${UNREACHABLE} (HTTP ${status}${message ? `: ${message}` : ''})`);
  }
  return new ApiError(status, message || `The service answered HTTP ${status}`, errors);
}

/** One call to a listed endpoint with the given Basic credential. */
export async function send<T>(ep: Endpoint, token: string, options: CallOptions = {}): Promise<T> {
  const url = pathOf(ep.path, options.params) + queryOf(options.query);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Authorization: `Basic ${token}`,
  };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: ep.method.toUpperCase(),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      // No cookies, and no browser login prompt on a 401: the credential is explicit.
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, UNREACHABLE);
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!response.ok) throw errorFrom(response.status, body);
  if (body === undefined && text) throw new ApiError(502, `${UNREACHABLE} (not a JSON answer)`);
  return body as T;
}

/** Everything the console asks of the admin API, one function per endpoint. */
export function createApi(token: string, onUnauthorized?: () => void) {
  async function call<T>(ep: Endpoint, options?: CallOptions): Promise<T> {
    try {
      return await send<T>(ep, token, options);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthorized?.();
      throw err;
    }
  }

  return {
    getConfig: () => call<OrgConfig>(endpoint('get', '/admin/config')),
    patchConfig: (body: OrgConfigPatch) =>
      call<OrgConfig>(endpoint('patch', '/admin/config'), { body }),

    listPrograms: () => call<Program[]>(endpoint('get', '/admin/programs')),
    createProgram: (body: ProgramCreate) =>
      call<Program>(endpoint('post', '/admin/programs'), { body }),
    patchProgram: (id: number, body: ProgramInput) =>
      call<Program>(endpoint('patch', '/admin/programs/{id}'), { params: { id }, body }),

    listAccessGroups: () => call<AccessGroup[]>(endpoint('get', '/admin/access-groups')),
    listTills: () => call<Till[]>(endpoint('get', '/admin/tills')),
    createTill: (body: TillCreate) => call<Till>(endpoint('post', '/admin/tills'), { body }),
    patchTill: (id: number, body: TillPatch) =>
      call<Till>(endpoint('patch', '/admin/tills/{id}'), { params: { id }, body }),
    /** 204 on success; from then on only the new password signs in. */
    changeOwnPassword: (body: OwnPasswordChange) =>
      call<void>(endpoint('post', '/admin/me/password'), { body }),

    searchCustomers: (q: string) =>
      call<Customer[]>(endpoint('get', '/admin/customers'), { query: { q } }),
    createCustomer: (body: CustomerCreate) =>
      call<Customer>(endpoint('post', '/admin/customers'), { body }),
    getCustomer: (id: number) =>
      call<CustomerWithWallets>(endpoint('get', '/admin/customers/{id}'), { params: { id } }),
    patchCustomer: (id: number, body: CustomerPatch) =>
      call<Customer>(endpoint('patch', '/admin/customers/{id}'), { params: { id }, body }),
    listLots: (id: number) =>
      call<Lot[]>(endpoint('get', '/admin/customers/{id}/lots'), { params: { id } }),
    getLedger: (id: number, page: { limit?: number; before?: string } = {}) =>
      call<LedgerPage>(endpoint('get', '/admin/customers/{id}/ledger'), {
        params: { id },
        query: page,
      }),
    getRedemptions: (id: number, page: { limit?: number; before?: string } = {}) =>
      call<RedemptionPage>(endpoint('get', '/admin/customers/{id}/redemptions'), {
        params: { id },
        query: page,
      }),
    reverseRedemption: (redemptionId: string, body: ReverseRequest = {}) =>
      call<ReverseResult>(endpoint('post', '/admin/redemptions/{code}/reverse'), {
        params: { code: redemptionId },
        body,
      }),
    creditPoints: (body: CreditRequest) =>
      call<CreditResult>(endpoint('post', '/admin/points/credit'), { body }),

    listGroups: () => call<Group[]>(endpoint('get', '/admin/groups')),
    createGroup: (body: GroupCreate) => call<Group>(endpoint('post', '/admin/groups'), { body }),
    getGroup: (id: number) =>
      call<Group>(endpoint('get', '/admin/groups/{id}'), { params: { id } }),
    patchGroup: (id: number, body: { redemption_enabled: boolean }) =>
      call<Group>(endpoint('patch', '/admin/groups/{id}'), { params: { id }, body }),
    addGroupMember: (id: number, customerId: number) =>
      call<Group>(endpoint('post', '/admin/groups/{id}/members'), {
        params: { id },
        body: { customer_id: customerId },
      }),

    listMissedCalls: () => call<MissedCall[]>(endpoint('get', '/admin/missed-calls')),
    recordMissedCall: (mobile: string) =>
      call<MissedCall>(endpoint('post', '/admin/missed-calls'), { body: { mobile } }),
    listNotifications: (customerId?: number) =>
      call<Notification[]>(endpoint('get', '/admin/notifications'), {
        query: { customer_id: customerId },
      }),

    getStats: (hours = 24) => call<Stats>(endpoint('get', '/admin/stats'), { query: { hours } }),
    verifyLedger: () => call<LedgerCheck>(endpoint('get', '/admin/ledger/verify')),
    getAudit: (query: AuditQuery = {}) =>
      call<AuditPage>(endpoint('get', '/admin/audit'), { query: { ...query } }),

    listWebhooks: () => call<WebhookEndpoint[]>(endpoint('get', '/admin/webhooks')),
    /** The answer carries the secret: the only time it is shown. */
    createWebhook: (body: WebhookCreate) =>
      call<WebhookCreated>(endpoint('post', '/admin/webhooks'), { body }),
    patchWebhook: (id: number, body: WebhookPatch) =>
      call<WebhookEndpoint>(endpoint('patch', '/admin/webhooks/{id}'), { params: { id }, body }),
    rotateWebhookSecret: (id: number) =>
      call<WebhookRotation>(endpoint('post', '/admin/webhooks/{id}/rotate'), { params: { id } }),
    getWebhookDeliveries: (id: number, page: { limit?: number; before?: string } = {}) =>
      call<WebhookDeliveryPage>(endpoint('get', '/admin/webhooks/{id}/deliveries'), {
        params: { id },
        query: page,
      }),
    retryWebhookDelivery: (deliveryId: string) =>
      call<DeliveryRetry>(endpoint('post', '/admin/webhooks/deliveries/{id}/retry'), {
        params: { id: deliveryId },
      }),
  };
}

export type Api = ReturnType<typeof createApi>;
