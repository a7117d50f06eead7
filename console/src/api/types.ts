/** Request and response shapes of the admin API (see the console contract). */

/** Large ids (lots, wallets, ledger entries, redemptions) travel as JSON strings. */
export type BigId = string;
/** A decimal the API accepts as a JSON number or a string (sent as typed, to keep decimals exact). */
export type DecimalInput = string | number;

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorEnvelope {
  response?: {
    status?: { success?: string; code?: number; message?: string };
    errors?: FieldError[];
  };
}

export type OtpChannel = 'SMS' | 'EMAIL';

export interface OrgConfig {
  otp_validity_minutes: number;
  otp_length: number;
  otp_max_attempts: number;
  otp_issue_limit: number;
  otp_channel: OtpChannel;
  otp_required: boolean;
  require_validation: boolean;
  missed_call_enabled: boolean;
  enable_group_programs_redemption: boolean;
  failed_item_http_status: 200 | 400;
  demo_mode: boolean;
  default_country_code: string;
  national_number_length: number;
}

/** Values are sent as typed when they do not parse, so that the API names the bad field. */
export type OrgConfigPatch = { [K in keyof OrgConfig]?: OrgConfig[K] | string };

export interface Program {
  id: number;
  name: string;
  is_default: boolean;
  min_redeem: number;
  max_redeem: number | null;
  redeem_multiple_of: number | null;
  decimal_places: number;
  points_currency_ratio: number;
}

export interface ProgramInput {
  name?: string;
  is_default?: boolean;
  min_redeem?: DecimalInput;
  max_redeem?: DecimalInput | null;
  redeem_multiple_of?: DecimalInput | null;
  decimal_places?: number | string;
  points_currency_ratio?: DecimalInput;
}

export type ProgramCreate = ProgramInput & { name: string };

export type Permission = 'none' | 'read' | 'write';

export interface AccessGroup {
  id: number;
  name: string;
  points: Permission;
  customer: Permission;
  admin: Permission;
}

export interface Till {
  id: number;
  username: string;
  access_group: string;
  active: boolean;
  created_at: string;
}

export interface TillCreate {
  username: string;
  password: string;
  /** Group name or id. */
  access_group: string | number;
}

export interface TillPatch {
  active?: boolean;
  access_group?: string | number;
  /** 8 to 200 characters; the old password stops working at once. */
  password?: string;
}

/** The signed-in admin's own change: refused (field `current_password`) when that is wrong. */
export interface OwnPasswordChange {
  current_password: string;
  /** 8 to 200 characters. */
  new_password: string;
}

export type FraudStatus = 'NONE' | 'MARKED' | 'CONFIRMED';

export interface Customer {
  id: number;
  mobile: string | null;
  email: string | null;
  external_id: string | null;
  card_number: string | null;
  card_external_id: string | null;
  firstname: string | null;
  lastname: string | null;
  fraud_status: FraudStatus;
  created_at: string;
}

export interface Wallet {
  wallet_id: BigId;
  program_id: number;
  group_id: number | null;
  balance: number;
  lifetime_points: number;
  redeemed: number;
  expired: number;
  returned: number;
}

export interface CustomerWithWallets extends Customer {
  wallets: Wallet[];
}

export interface CustomerCreate {
  mobile?: string;
  email?: string;
  external_id?: string;
  card_number?: string;
  card_external_id?: string;
  firstname?: string;
  lastname?: string;
}

export interface CustomerPatch {
  fraud_status?: FraudStatus;
  firstname?: string;
  lastname?: string;
}

export interface Lot {
  id: BigId;
  wallet_id: BigId;
  program_id: number;
  group_id: number | null;
  amount: number;
  remaining: number;
  earned_at: string;
  expires_at: string | null;
  note: string;
}

export type LedgerKind = 'CREDIT' | 'REDEMPTION' | 'REVERSAL' | 'EXPIRY' | 'ADJUSTMENT';

export interface LedgerEntry {
  id: BigId;
  wallet_id: BigId;
  program_id: number;
  group_id: number | null;
  kind: LedgerKind;
  amount: number;
  balance_after: number;
  redemption_id: string | null;
  actor_type: 'till' | 'admin' | 'system';
  created_at: string;
}

export interface LedgerPage {
  entries: LedgerEntry[];
  next_before: BigId | null;
}

export interface ReversalSummary {
  reversal_id: string;
  points_reversed: number;
  points_expired: number;
  created_at: string;
}

export interface Redemption {
  id: BigId;
  redemption_id: string;
  program_id: number;
  group_id: number | null;
  points: number;
  reversed_points: number;
  transaction_number: string | null;
  external_reference_number: string | null;
  redemption_time: string;
  created_at: string;
  till: string | null;
  notes: string | null;
  reversals: ReversalSummary[];
}

export interface RedemptionPage {
  redemptions: Redemption[];
  next_before: BigId | null;
}

export interface ReverseRequest {
  /** Absent: everything not yet reversed. */
  points?: DecimalInput;
}

export interface ReverseResult {
  redemption_id: string;
  reversal_id: string;
  points_requested: number;
  points_reversed: number;
  points_expired: number;
  balance: number;
}

export interface CreditRequest {
  customer_id?: number;
  group_id?: number;
  program_id?: number;
  points: DecimalInput;
  /** ISO 8601 time. */
  expires_at?: string;
  note?: string;
}

export interface CreditResult {
  lot: {
    id: BigId;
    wallet_id?: BigId;
    program_id?: number;
    points?: number;
    earned_at?: string;
    expires_at?: string | null;
  };
  balance: number;
}

export interface Group {
  id: number;
  external_id: string;
  primary_customer_id: number;
  redemption_enabled: boolean;
  member_ids: number[];
}

export interface GroupCreate {
  external_id: string;
  primary_customer_id: number;
  member_ids?: number[];
  redemption_enabled?: boolean;
}

export interface MissedCall {
  id: BigId;
  mobile: string;
  called_at: string;
  consumed_at: string | null;
}

export interface Notification {
  id: BigId | number;
  customer_id: number | null;
  channel: string;
  recipient: string;
  text: string;
  created_at: string;
  sent_at: string | null;
}

export interface HourlyStat {
  hour: string;
  program_id: number;
  redemptions: number;
  points: number;
}

export interface Refusal {
  code: number;
  message: string;
  count: number;
}

export interface Stats {
  from: string;
  to: string;
  hourly: HourlyStat[];
  refusals: Refusal[];
  outbox: { unsent: number; oldest_unsent_at: string | null };
}

export interface LedgerCheck {
  ok: boolean;
  wallets_checked: number;
  redemptions_checked?: number;
  failures: unknown[];
}

export const AUDIT_ACTIONS = [
  'config.update',
  'program.create',
  'program.update',
  'till.create',
  'till.update',
  'till.password_change',
  'customer.create',
  'customer.update',
  'points.credit',
  'redemption.reverse',
  'group.create',
  'group.update',
  'group.member_add',
  'custom_field.create',
  'missed_call.record',
  'webhook.create',
  'webhook.update',
  'webhook.rotate',
  'webhook.delivery_retry',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: BigId;
  actor: string;
  /** One of AUDIT_ACTIONS, or a newer action this console does not know yet. */
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  created_at: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  next_before: BigId | null;
}

export interface AuditQuery {
  limit?: number;
  before?: BigId;
  action?: string;
  target_type?: string;
  target_id?: string;
}

/** The event types the service sends today. */
export const WEBHOOK_EVENTS = [
  'redemption.created',
  'redemption.reversed',
  'points.credited',
  'points.expired',
  'customer.fraud_status_changed',
] as const;

/**
 * Accepted in an endpoint's events but not sent by any change yet (holds are still to come):
 * listed so that an endpoint subscribed to them keeps them when its events are edited.
 */
export const RESERVED_WEBHOOK_EVENTS = [
  'hold.created',
  'hold.captured',
  'hold.cancelled',
  'hold.expired',
] as const;

/** An org's webhook endpoint as listed: never its secret. */
export interface WebhookEndpoint {
  id: number;
  url: string;
  /** Of WEBHOOK_EVENTS and RESERVED_WEBHOOK_EVENTS, or a newer type this console does not know. */
  events: string[];
  enabled: boolean;
  /** A delivery used up every attempt; cleared by the endpoint's next success. */
  failing: boolean;
  /** Until when the secret before the last rotation still signs; null when there is none. */
  previous_secret_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookCreate {
  url: string;
  events: string[];
}

/** The answer to a creation: the only time the secret is shown. */
export interface WebhookCreated extends WebhookEndpoint {
  secret: string;
}

export interface WebhookPatch {
  url?: string;
  events?: string[];
  enabled?: boolean;
}

/** A new secret, shown once; the one before keeps signing beside it until `previous_secret_until`. */
export interface WebhookRotation {
  secret: string;
  previous_secret_until: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: BigId;
  /** The `webhook-id` header, the same on every attempt. */
  message_id: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  /** The HTTP status of the last answer; null when there was none (see last_error). */
  last_status: number | null;
  last_error: string | null;
  /** The start of the last answer's body (at most 300 characters). */
  last_response: string | null;
  last_attempt_at: string | null;
  next_attempt_at: string;
  delivered_at: string | null;
  created_at: string;
}

export interface WebhookDeliveryPage {
  deliveries: WebhookDelivery[];
  next_before: BigId | null;
}

export interface DeliveryRetry {
  id: BigId;
  endpoint_id: number;
  status: 'pending';
}
