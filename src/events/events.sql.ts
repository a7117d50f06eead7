import { EventType, eventParts, isoText } from './event.sql';

/*
 * The statements of the events module: events written on their own (a change that is not a
 * balance movement), webhook endpoints, and the deliveries' sender. Every statement names
 * org $1 (docs/scaling.md). No imports but another such file.
 */

const ENDPOINT_COLUMNS =
  'id, url, events, enabled, failing, secret, previous_secret, previous_until, created_at, updated_at';

export const EVENTS_SQL = {
  /** An event of `type` (data $2, at $3) and its deliveries, in the caller's transaction. */
  append: (type: EventType): string =>
    `WITH ${eventParts({ type, org: '$1', source: '(SELECT 1) AS one', data: '$2::jsonb', at: '$3' })}
     SELECT count(*)::int AS n FROM new_event`,

  insertEndpoint: `INSERT INTO webhook_endpoint (org_id, url, events, secret, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${ENDPOINT_COLUMNS}`,
  listEndpoints: `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint WHERE org_id = $1 ORDER BY id`,
  findEndpoint: `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint WHERE org_id = $1 AND id = $2`,
  lockEndpoint: `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint WHERE org_id = $1 AND id = $2 FOR UPDATE`,
  updateEndpoint: `UPDATE webhook_endpoint
        SET url = COALESCE($3, url), events = COALESCE($4, events), enabled = COALESCE($5, enabled),
            updated_at = $6
      WHERE org_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
  rotateEndpoint: `UPDATE webhook_endpoint
        SET previous_secret = secret, previous_until = $4, secret = $3, updated_at = $5
      WHERE org_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,

  /** The enabled endpoints of org $1 with deliveries due by $2, and how many. */
  endpointsDue: `SELECT d.endpoint_id, count(*)::int AS due
       FROM webhook_delivery d
       JOIN webhook_endpoint e ON e.org_id = d.org_id AND e.id = d.endpoint_id AND e.enabled
      WHERE d.org_id = $1 AND d.status = 'pending' AND d.next_attempt_at <= $2
      GROUP BY d.endpoint_id`,

  /**
   * Takes up to $5 of endpoint $2's due deliveries (by $3) that no one else holds, for one
   * attempt each: their lease runs to $4 (another instance, or a later round, takes one
   * whose attempt died with its process only after that). Returns what to send.
   */
  claim: `UPDATE webhook_delivery d
        SET next_attempt_at = $4, attempts = d.attempts + 1, last_attempt_at = $3
       FROM (SELECT id FROM webhook_delivery
              WHERE org_id = $1 AND endpoint_id = $2 AND status = 'pending' AND next_attempt_at <= $3
              ORDER BY next_attempt_at, id LIMIT $5 FOR UPDATE SKIP LOCKED) c,
            event e
      WHERE d.org_id = $1 AND d.id = c.id AND e.org_id = $1 AND e.id = d.event_id
      RETURNING d.id, d.attempts, e.message_id,
                jsonb_build_object('type', e.type, 'timestamp', ${isoText('e.created_at')},
                                   'data', e.data)::text AS body`,

  /**
   * Deliveries $2 succeeded (statuses $3, excerpts $4, at $5), all in one statement; their
   * endpoint is not failing.
   */
  delivered: `WITH ok AS (
         SELECT * FROM unnest($2::bigint[], $3::int[], $4::text[]) AS x(id, status, excerpt)
       ), d AS (
         UPDATE webhook_delivery
            SET status = 'delivered', delivered_at = $5, last_status = ok.status,
                last_response = ok.excerpt, last_error = NULL
           FROM ok WHERE webhook_delivery.org_id = $1 AND webhook_delivery.id = ok.id
          RETURNING webhook_delivery.endpoint_id
       )
       UPDATE webhook_endpoint SET failing = false FROM (SELECT DISTINCT endpoint_id FROM d) e
        WHERE webhook_endpoint.org_id = $1 AND webhook_endpoint.id = e.endpoint_id AND failing`,

  /**
   * Delivery $2's attempt failed (status $3, error $4, excerpt $5): due again at $6, or, when
   * $6 is null, failed for good and its endpoint marked failing.
   */
  attemptFailed: `WITH d AS (
         UPDATE webhook_delivery
            SET status = CASE WHEN $6::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = COALESCE($6::timestamptz, next_attempt_at),
                last_status = $3, last_error = $4, last_response = $5
          WHERE webhook_delivery.org_id = $1 AND webhook_delivery.id = $2
          RETURNING endpoint_id, status
       )
       UPDATE webhook_endpoint SET failing = true FROM d
        WHERE webhook_endpoint.org_id = $1 AND webhook_endpoint.id = d.endpoint_id
          AND d.status = 'failed' AND NOT failing`,

  /** Endpoint $2's deliveries older than id $3 (all when null), newest first, at most $4. */
  deliveries: `SELECT d.id, e.message_id, e.type, d.status, d.attempts, d.last_status,
                      d.last_error, d.last_response, d.last_attempt_at, d.next_attempt_at,
                      d.delivered_at, d.created_at
         FROM webhook_delivery d JOIN event e ON e.org_id = d.org_id AND e.id = d.event_id
        WHERE d.org_id = $1 AND d.endpoint_id = $2 AND ($3::bigint IS NULL OR d.id < $3)
        ORDER BY d.id DESC LIMIT $4`,

  /** Delivery $2 is due again at $3, whatever became of it. */
  retry: `UPDATE webhook_delivery SET status = 'pending', next_attempt_at = $3
      WHERE org_id = $1 AND id = $2 RETURNING id, endpoint_id`,

  /** Org $1's deliveries waiting, and the oldest one's event time. */
  backlog: `SELECT count(*)::int AS backlog, min(created_at) AS oldest
       FROM webhook_delivery WHERE org_id = $1 AND status = 'pending'`,

  failingEndpoints: `SELECT count(*)::int AS n FROM webhook_endpoint WHERE org_id = $1 AND failing`,
};
