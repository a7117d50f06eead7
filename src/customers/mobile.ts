import { CustomerIdentifier } from './identifier';

/** How an org writes its customers' mobile numbers in full (org config). */
export interface MobileRules {
  default_country_code: string;
  national_number_length: number;
}

/**
 * One form for a mobile number, however a cashier typed it (`+91 99000 00001`,
 * `91-9900-000001`, `(91) 9900000001`, `00919900000001`, the national `9900000001`): digits
 * only, a leading international `00` dropped, and the org's country code put before a number
 * of its national length. Stored mobiles are in this form, so every lookup finds them.
 */
export function normalizeMobile(raw: string, rules: MobileRules): string {
  let digits = raw.replace(/\D/g, '');
  if (digits.startsWith('00')) digits = digits.slice(2);
  if (digits.length === rules.national_number_length) digits = rules.default_country_code + digits;
  return digits;
}

/** The identifier with its mobile (when it is one) in the org's one form. */
export function normalizeIdentifier(
  identifier: CustomerIdentifier,
  rules: MobileRules,
): CustomerIdentifier {
  return identifier.type === 'mobile'
    ? { type: 'mobile', value: normalizeMobile(identifier.value, rules) }
    : identifier;
}
