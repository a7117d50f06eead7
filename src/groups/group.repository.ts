import { Injectable } from '@nestjs/common';
import { CustomerRepository } from '../customers/customer.repository';
import { identifierFromTypeValue } from '../customers/identifier';
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
const isId = (s: string): boolean => /^[1-9]\d{0,9}$/.test(s) && Number(s) <= 2147483647;

@Injectable()
export class GroupRepository {
  constructor(private readonly customers: CustomerRepository) {}

  /** The group that Capillary's user_group2_* parameters name, in their order of precedence. */
  async resolve(sql: Sql, orgId: number, selector: GroupSelector): Promise<Group | undefined> {
    if (Object.values(selector).some((v) => typeof v === 'string' && v.includes('\u0000')))
      return undefined;
    let rows: GroupRow[] = [];
    if (selector.id !== undefined) {
      if (!isId(selector.id)) return undefined;
      rows = await sql.query<GroupRow>(
        `SELECT ${COLUMNS} FROM customer_group WHERE org_id = $1 AND id = $2`,
        [orgId, Number(selector.id)],
      );
    } else if (selector.externalId !== undefined) {
      rows = await sql.query<GroupRow>(
        `SELECT ${COLUMNS} FROM customer_group WHERE org_id = $1 AND external_id = $2`,
        [orgId, selector.externalId],
      );
    } else {
      let primaryId: number | undefined;
      if (selector.primaryUserId !== undefined) {
        if (!isId(selector.primaryUserId)) return undefined;
        primaryId = Number(selector.primaryUserId);
      } else {
        const identifier = identifierFromTypeValue(
          selector.primaryIdentifierType,
          selector.primaryIdentifierValue,
        );
        if (!identifier) return undefined;
        primaryId = (await this.customers.findByIdentifier(sql, orgId, identifier))?.id;
      }
      if (primaryId === undefined) return undefined;
      rows = await sql.query<GroupRow>(
        `SELECT ${COLUMNS} FROM customer_group WHERE org_id = $1 AND primary_customer_id = $2
          ORDER BY id LIMIT 1`,
        [orgId, primaryId],
      );
    }
    return rows[0] && toGroup(rows[0]);
  }

  /** The single group a customer belongs to (for `group_redemption: true` without a selector). */
  async onlyGroupOf(sql: Sql, orgId: number, customerId: number): Promise<Group | undefined> {
    const rows = await sql.query<GroupRow>(
      `SELECT ${COLUMNS} FROM customer_group g
        WHERE g.org_id = $1 AND (g.primary_customer_id = $2
              OR EXISTS (SELECT 1 FROM group_member m WHERE m.group_id = g.id AND m.customer_id = $2))
        LIMIT 2`,
      [orgId, customerId],
    );
    return rows.length === 1 ? toGroup(rows[0]) : undefined;
  }

  /** The primary member counts as a member. */
  async isMember(sql: Sql, group: Group, customerId: number): Promise<boolean> {
    if (group.primaryCustomerId === customerId) return true;
    const rows = await sql.query(
      'SELECT 1 FROM group_member WHERE group_id = $1 AND customer_id = $2',
      [group.id, customerId],
    );
    return rows.length > 0;
  }
}
