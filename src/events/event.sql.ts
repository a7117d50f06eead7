/*
 * How an event is written: as parts of the very statement that makes the change it reports
 * (a transactional outbox), so there is never a change without its event nor an event
 * without its change, also across a crash. No imports: the ledger's movement statements and
 * the benchmarks load it without the application.
 */

/** Every event type the service emits (docs/api.md, "Events"). */
export const EVENT_TYPES = [
  'redemption.created',
  'redemption.reversed',
  'hold.created',
  'hold.captured',
  'hold.cancelled',
  'hold.expired',
  'points.credited',
  'points.expired',
  'customer.fraud_status_changed',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** An exact decimal as an event writes it: its text with no trailing zeros ("12.5"). */
export const decimalText = (expr: string): string => `trim_scale(${expr})::text`;

/** A time as an event writes it: ISO 8601 in UTC with milliseconds. */
export const isoText = (expr: string): string =>
  `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Whether an enabled endpoint of org `org` subscribes to `type`: read with a change's first
 * statement, it spares a change nobody listens to the parts that write its event.
 */
export const subscribed = (type: EventType, org: string): string =>
  `EXISTS (SELECT 1 FROM webhook_endpoint
            WHERE webhook_endpoint.org_id = ${org} AND enabled AND '${type}' = ANY(events))`;

/**
 * The parts of a WITH that write one event of `type` per row of `source` (its `data` a jsonb
 * expression over that row; `org` and `at` expressions too) and, for each, one delivery per
 * enabled endpoint of the org subscribed to the type. When no endpoint subscribes, nothing is
 * written: an org without webhooks pays one probe of its (small) endpoint list.
 */
export function eventParts(o: {
  type: EventType;
  org: string;
  source: string;
  data: string;
  at: string;
}): string {
  return `event_subscribers AS (
         SELECT id FROM webhook_endpoint
          WHERE webhook_endpoint.org_id = ${o.org} AND enabled AND '${o.type}' = ANY(events)
       ), new_event AS (
         INSERT INTO event (org_id, message_id, type, data, created_at)
         SELECT ${o.org}, 'msg_' || replace(gen_random_uuid()::text, '-', ''), '${o.type}',
                ${o.data}, ${o.at}
           FROM ${o.source} WHERE EXISTS (SELECT 1 FROM event_subscribers)
         RETURNING id
       ), new_deliveries AS (
         INSERT INTO webhook_delivery (org_id, endpoint_id, event_id, next_attempt_at, created_at)
         SELECT ${o.org}, s.id, e.id, ${o.at}, ${o.at} FROM new_event e, event_subscribers s
       )`;
}
