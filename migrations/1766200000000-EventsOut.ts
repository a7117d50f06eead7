import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events out (signed webhooks, docs/api.md "Events"): an org's webhook endpoints, the events
 * written in the transaction of the change they report (a transactional outbox), and one
 * delivery per event and subscribed endpoint.
 *
 * Keys lead with org_id like every distributed table's (docs/scaling.md). No foreign keys: an
 * event and its deliveries are written by the statement of the change itself (each key would
 * be a lookup and a lock on the redemption path), endpoints are disabled, never deleted, and
 * the delivery sender reads what it names.
 */
export class EventsOut1766200000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoint (
        org_id          bigint NOT NULL,
        id              bigint GENERATED ALWAYS AS IDENTITY,
        url             text NOT NULL CHECK (length(url) <= 2000),
        events          text[] NOT NULL,
        enabled         boolean NOT NULL DEFAULT true,
        -- Sealed under the server's secrets key (AES-256-GCM), never in clear.
        secret          text NOT NULL,
        -- After a rotation the old secret signs beside the new one until previous_until.
        previous_secret text,
        previous_until  timestamptz,
        failing         boolean NOT NULL DEFAULT false,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (org_id, id)
      );
      CREATE TABLE event (
        org_id     bigint NOT NULL,
        id         bigint GENERATED ALWAYS AS IDENTITY,
        -- The webhook-id: the same on every attempt of every delivery of this event.
        message_id text NOT NULL,
        type       text NOT NULL,
        data       jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (org_id, id)
      );
      CREATE TABLE webhook_delivery (
        org_id          bigint NOT NULL,
        id              bigint GENERATED ALWAYS AS IDENTITY,
        endpoint_id     bigint NOT NULL,
        event_id        bigint NOT NULL,
        status          text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts        integer NOT NULL DEFAULT 0,
        -- When it is due; while an attempt is in flight, when that attempt's lease ends.
        next_attempt_at timestamptz NOT NULL,
        last_attempt_at timestamptz,
        last_status     integer,
        last_error      text,
        last_response   text,
        delivered_at    timestamptz,
        created_at      timestamptz NOT NULL,
        PRIMARY KEY (org_id, id)
      );
      CREATE INDEX webhook_delivery_due
          ON webhook_delivery (org_id, endpoint_id, next_attempt_at) WHERE status = 'pending';
      CREATE INDEX webhook_delivery_of_endpoint ON webhook_delivery (org_id, endpoint_id, id DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_delivery; DROP TABLE event; DROP TABLE webhook_endpoint;`);
  }
}
