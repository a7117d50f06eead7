import { CustomerRow } from './customer.repository';

/** A customer's identifiers as Capillary answers show them ('' when absent). */
export interface CustomerIdentity {
  mobile: string;
  email: string;
  external_id: string;
  user_id: string;
}

/**
 * The identifiers of the customer an answer is about; where no customer was found (or it
 * lacks one), what the request itself said (`echo`).
 */
export function customerIdentity(
  customer: CustomerRow | undefined,
  echo: Partial<Record<'mobile' | 'email' | 'external_id', string>> = {},
): CustomerIdentity {
  return {
    mobile: customer?.mobile ?? echo.mobile ?? '',
    email: customer?.email ?? echo.email ?? '',
    external_id: customer?.external_id ?? echo.external_id ?? '',
    user_id: customer ? String(customer.id) : '',
  };
}
