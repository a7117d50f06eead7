/*
 * How each table would be placed on a database distributed by org (docs/scaling.md): the
 * statements' lint (org-routing.spec.ts) and the schema's check (test/scaling.e2e-spec.ts)
 * read it. No imports.
 */

/**
 * Small, read on every request, and looked up without an org: copied whole to every node.
 * `org` (an org is found by its code), and the tills with their access groups: a till signs
 * in with a username alone (HTTP Basic carries no org), so usernames are unique across orgs
 * and looked up before the org is known.
 */
export const REFERENCE_TABLES: ReadonlySet<string> = new Set(['org', 'app_user', 'access_group']);

/** Kept on the coordinator only: the migrations' own bookkeeping. */
export const LOCAL_TABLES: ReadonlySet<string> = new Set(['migrations']);

/** Everything else, distributed by `org_id` and co-located. */
export const DISTRIBUTED_TABLES: ReadonlySet<string> = new Set([
  'org_config',
  'program',
  'custom_field',
  'customer',
  'customer_group',
  'group_member',
  'wallet',
  'lot',
  'redemption',
  'redemption_allocation',
  'reversal',
  'ledger_entry',
  'validation_code',
  'missed_call',
  'notification',
  'idempotency_key',
  'audit_log',
  'refusal_tally',
  'webhook_endpoint',
  'event',
  'webhook_delivery',
]);
