import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';
import { EventType } from './event.sql';
import { EVENTS_SQL } from './events.sql';

export interface EndpointRow {
  id: number;
  url: string;
  events: string[];
  enabled: boolean;
  failing: boolean;
  /** Sealed (SecretBox). */
  secret: string;
  previous_secret: string | null;
  previous_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface ClaimedDelivery {
  id: number;
  attempts: number;
  message_id: string;
  body: string;
}

export interface DeliveryRow {
  id: number;
  message_id: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  last_response: string | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date;
  delivered_at: Date | null;
  created_at: Date;
}

const APPEND = new Map<EventType, string>();

/** Events written on their own, webhook endpoints and their deliveries. */
@Injectable()
export class EventsRepository {
  /** Writes an event (and its deliveries) in the caller's transaction; false when no one listens. */
  async append(
    tx: Sql,
    orgId: number,
    type: EventType,
    data: Record<string, unknown>,
    at: Date,
  ): Promise<boolean> {
    let text = APPEND.get(type);
    if (!text) APPEND.set(type, (text = EVENTS_SQL.append(type)));
    const [row] = await tx.query<{ n: number }>(text, [orgId, JSON.stringify(data), at]);
    return row.n > 0;
  }

  async insertEndpoint(
    sql: Sql,
    orgId: number,
    e: { url: string; events: string[]; secret: string },
    now: Date,
  ): Promise<EndpointRow> {
    const [row] = await sql.query<EndpointRow>(EVENTS_SQL.insertEndpoint, [
      orgId,
      e.url,
      e.events,
      e.secret,
      now,
    ]);
    return row;
  }

  listEndpoints(sql: Sql, orgId: number): Promise<EndpointRow[]> {
    return sql.query<EndpointRow>(EVENTS_SQL.listEndpoints, [orgId]);
  }

  async findEndpoint(
    sql: Sql,
    orgId: number,
    id: number,
    lock = false,
  ): Promise<EndpointRow | undefined> {
    const [row] = await sql.query<EndpointRow>(
      lock ? EVENTS_SQL.lockEndpoint : EVENTS_SQL.findEndpoint,
      [orgId, id],
    );
    return row;
  }

  async updateEndpoint(
    sql: Sql,
    orgId: number,
    id: number,
    change: { url?: string; events?: string[]; enabled?: boolean },
    now: Date,
  ): Promise<EndpointRow> {
    const [row] = await sql.query<EndpointRow>(EVENTS_SQL.updateEndpoint, [
      orgId,
      id,
      change.url ?? null,
      change.events ?? null,
      change.enabled ?? null,
      now,
    ]);
    return row;
  }

  async rotateEndpoint(
    sql: Sql,
    orgId: number,
    id: number,
    secret: string,
    previousUntil: Date,
    now: Date,
  ): Promise<EndpointRow> {
    const [row] = await sql.query<EndpointRow>(EVENTS_SQL.rotateEndpoint, [
      orgId,
      id,
      secret,
      previousUntil,
      now,
    ]);
    return row;
  }

  endpointsDue(
    sql: Sql,
    orgId: number,
    now: Date,
  ): Promise<{ endpoint_id: number; due: number }[]> {
    return sql.query(EVENTS_SQL.endpointsDue, [orgId, now]);
  }

  claim(
    sql: Sql,
    orgId: number,
    endpointId: number,
    now: Date,
    leaseUntil: Date,
    limit: number,
  ): Promise<ClaimedDelivery[]> {
    return sql.query<ClaimedDelivery>(EVENTS_SQL.claim, [
      orgId,
      endpointId,
      now,
      leaseUntil,
      limit,
    ]);
  }

  async delivered(
    sql: Sql,
    orgId: number,
    done: { id: number; status: number; excerpt: string }[],
    now: Date,
  ): Promise<void> {
    await sql.query(EVENTS_SQL.delivered, [
      orgId,
      done.map((d) => d.id),
      done.map((d) => d.status),
      done.map((d) => d.excerpt),
      now,
    ]);
  }

  /** `next` null: the last attempt failed; the delivery fails and its endpoint is failing. */
  async attemptFailed(
    sql: Sql,
    orgId: number,
    id: number,
    outcome: { status: number | null; error: string | null; excerpt: string },
    next: Date | null,
  ): Promise<void> {
    await sql.query(EVENTS_SQL.attemptFailed, [
      orgId,
      id,
      outcome.status,
      outcome.error,
      outcome.excerpt,
      next,
    ]);
  }

  deliveries(
    sql: Sql,
    orgId: number,
    endpointId: number,
    before: string | undefined,
    limit: number,
  ): Promise<DeliveryRow[]> {
    return sql.query<DeliveryRow>(EVENTS_SQL.deliveries, [
      orgId,
      endpointId,
      before ?? null,
      limit,
    ]);
  }

  async retry(
    sql: Sql,
    orgId: number,
    id: number,
    now: Date,
  ): Promise<{ id: number; endpoint_id: number } | undefined> {
    const [row] = await sql.query<{ id: number; endpoint_id: number }>(EVENTS_SQL.retry, [
      orgId,
      id,
      now,
    ]);
    return row;
  }

  async backlog(sql: Sql, orgId: number): Promise<{ backlog: number; oldest: Date | null }> {
    const [row] = await sql.query<{ backlog: number; oldest: Date | null }>(EVENTS_SQL.backlog, [
      orgId,
    ]);
    return row;
  }

  async failingEndpoints(sql: Sql, orgId: number): Promise<number> {
    const [row] = await sql.query<{ n: number }>(EVENTS_SQL.failingEndpoints, [orgId]);
    return row.n;
  }
}
