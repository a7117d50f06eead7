import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';

export interface CustomFieldRow {
  id: number;
  scope: string;
  name: string;
}

/** The custom fields an org defines for redemptions. */
@Injectable()
export class CustomFieldRepository {
  async redemptionFieldNames(sql: Sql, orgId: number): Promise<Set<string>> {
    const rows = await sql.query<{ name: string }>(
      `SELECT name FROM custom_field WHERE org_id = $1 AND scope = 'redemption'`,
      [orgId],
    );
    return new Set(rows.map((r) => r.name));
  }

  async list(sql: Sql, orgId: number): Promise<CustomFieldRow[]> {
    return sql.query<CustomFieldRow>(
      `SELECT id, scope, name FROM custom_field WHERE org_id = $1 ORDER BY id`,
      [orgId],
    );
  }

  /** Throws the unique violation `custom_field_org_id_scope_name_key` for a taken name. */
  async insertRedemptionField(sql: Sql, orgId: number, name: string): Promise<CustomFieldRow> {
    const [row] = await sql.query<CustomFieldRow>(
      `INSERT INTO custom_field (org_id, scope, name) VALUES ($1, 'redemption', $2) RETURNING id, scope, name`,
      [orgId, name],
    );
    return row;
  }
}
