import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';

export interface Group {
  id: number;
  externalId: string;
  primaryCustomerId: number;
  redemptionEnabled: boolean;
}

interface GroupRow {
  id: number;
  external_id: string;
  primary_customer_id: number;
  redemption_enabled: boolean;
}

/** A group as the admin API shows it. */
export interface GroupWithMembers {
  id: number;
  external_id: string;
  primary_customer_id: number;
  redemption_enabled: boolean;
  member_ids: number[];
}

export interface GroupSelector {
  id?: string;
  externalId?: string;
  primaryUserId?: string;
  primaryIdentifierType?: string;
  primaryIdentifierValue?: string;
}

const COLUMNS = 'id, external_id, primary_customer_id, redemption_enabled';
const toGroup = (r: GroupRow): Group => ({
  id: r.id,
  externalId: r.external_id,
  primaryCustomerId: r.primary_customer_id,
  redemptionEnabled: r.redemption_enabled,
});

@Injectable()
export class GroupRepository {
  /** The group with this id, this external id, or this primary customer (its first). */
  async findBy(
    sql: Sql,
    orgId: number,
    by: { id: number } | { externalId: string } | { primaryCustomerId: number },
  ): Promise<Group | undefined> {
    const [column, value, order] =
      'id' in by
        ? ['id', by.id, '']
        : 'externalId' in by
          ? ['external_id', by.externalId, '']
          : ['primary_customer_id', by.primaryCustomerId, 'ORDER BY id LIMIT 1'];
    const [row] = await sql.query<GroupRow>(
      `SELECT ${COLUMNS} FROM customer_group WHERE org_id = $1 AND ${column} = $2 ${order}`,
      [orgId, value],
    );
    return row && toGroup(row);
  }

  /**
   * The groups a customer belongs to, at most two (for `group_redemption: true` without a
   * selector, which names the one group, if there is exactly one).
   */
  async groupsOf(sql: Sql, orgId: number, customerId: number): Promise<Group[]> {
    const rows = await sql.query<GroupRow>(
      `SELECT ${COLUMNS} FROM customer_group g
        WHERE g.org_id = $1 AND (g.primary_customer_id = $2
              OR EXISTS (SELECT 1 FROM group_member m
                          WHERE m.org_id = g.org_id AND m.group_id = g.id AND m.customer_id = $2))
        LIMIT 2`,
      [orgId, customerId],
    );
    return rows.map(toGroup);
  }

  /** A group with its member ids (the primary member among them). */
  async findWithMembers(
    sql: Sql,
    orgId: number,
    id: number,
  ): Promise<GroupWithMembers | undefined> {
    const [row] = await sql.query<GroupWithMembers>(
      `SELECT g.id, g.external_id, g.primary_customer_id, g.redemption_enabled,
              COALESCE(array_agg(m.customer_id ORDER BY m.customer_id) FILTER (WHERE m.customer_id IS NOT NULL), '{}') AS member_ids
         FROM customer_group g LEFT JOIN group_member m ON m.org_id = g.org_id AND m.group_id = g.id
        WHERE g.org_id = $1 AND g.id = $2 GROUP BY g.org_id, g.id`,
      [orgId, id],
    );
    return row;
  }

  /** The org's newest groups with their member ids. */
  async listWithMembers(sql: Sql, orgId: number, limit: number): Promise<GroupWithMembers[]> {
    return sql.query<GroupWithMembers>(
      `SELECT g.id, g.external_id, g.primary_customer_id, g.redemption_enabled,
              COALESCE(array_agg(m.customer_id ORDER BY m.customer_id) FILTER (WHERE m.customer_id IS NOT NULL), '{}') AS member_ids
         FROM customer_group g LEFT JOIN group_member m ON m.org_id = g.org_id AND m.group_id = g.id
        WHERE g.org_id = $1 GROUP BY g.org_id, g.id ORDER BY g.id DESC LIMIT $2`,
      [orgId, limit],
    );
  }

  async exists(sql: Sql, orgId: number, id: number): Promise<boolean> {
    const rows = await sql.query('SELECT 1 FROM customer_group WHERE org_id = $1 AND id = $2', [
      orgId,
      id,
    ]);
    return rows.length > 0;
  }

  /** Throws the unique violation `customer_group_org_id_external_id_key` for a taken external id. */
  async insert(
    sql: Sql,
    orgId: number,
    g: { externalId: string; primaryCustomerId: number; redemptionEnabled: boolean },
  ): Promise<number> {
    const [{ id }] = await sql.query<{ id: number }>(
      `INSERT INTO customer_group (org_id, external_id, primary_customer_id, redemption_enabled)
       VALUES ($1, $2, $3, $4) RETURNING id`,
      [orgId, g.externalId, g.primaryCustomerId, g.redemptionEnabled],
    );
    return id;
  }

  async addMember(sql: Sql, orgId: number, groupId: number, customerId: number): Promise<void> {
    await sql.query(
      'INSERT INTO group_member (org_id, group_id, customer_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [orgId, groupId, customerId],
    );
  }

  async setRedemptionEnabled(sql: Sql, orgId: number, id: number, on: boolean): Promise<void> {
    await sql.query(
      'UPDATE customer_group SET redemption_enabled = $3 WHERE org_id = $1 AND id = $2',
      [orgId, id, on],
    );
  }

  /** The primary member counts as a member. */
  async isMember(sql: Sql, orgId: number, group: Group, customerId: number): Promise<boolean> {
    if (group.primaryCustomerId === customerId) return true;
    const rows = await sql.query(
      'SELECT 1 FROM group_member WHERE org_id = $1 AND group_id = $2 AND customer_id = $3',
      [orgId, group.id, customerId],
    );
    return rows.length > 0;
  }
}
