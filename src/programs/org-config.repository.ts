import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';

export interface OrgConfig {
  otp_validity_minutes: number;
  otp_length: number;
  otp_max_attempts: number;
  otp_issue_limit: number;
  otp_channel: 'SMS' | 'EMAIL';
  otp_required: boolean;
  require_validation: boolean;
  missed_call_enabled: boolean;
  enable_group_programs_redemption: boolean;
  failed_item_http_status: 200 | 400;
  /** Prefixed to a mobile number of the national length (e.g. 91). */
  default_country_code: string;
  /** Digits of a national mobile number (e.g. 10). */
  national_number_length: number;
  /** Outbox texts stay readable to the org's admins (for trying the flow without an SMS gateway). */
  demo_mode: boolean;
}

export const ORG_CONFIG_FIELDS = [
  'otp_validity_minutes',
  'otp_length',
  'otp_max_attempts',
  'otp_issue_limit',
  'otp_channel',
  'otp_required',
  'require_validation',
  'missed_call_enabled',
  'enable_group_programs_redemption',
  'failed_item_http_status',
  'demo_mode',
  'default_country_code',
  'national_number_length',
] as const satisfies readonly (keyof OrgConfig)[];

@Injectable()
export class OrgConfigRepository {
  async get(sql: Sql, orgId: number): Promise<OrgConfig> {
    const [row] = await sql.query<OrgConfig>(
      `SELECT ${ORG_CONFIG_FIELDS.join(', ')} FROM org_config WHERE org_id = $1`,
      [orgId],
    );
    if (!row) throw new Error(`org ${orgId} has no configuration row`);
    return row;
  }

  /** A new org's configuration: the given settings, the schema's defaults for the rest. */
  async insert(sql: Sql, orgId: number, settings: Partial<OrgConfig>): Promise<void> {
    const fields = ORG_CONFIG_FIELDS.filter((f) => settings[f] !== undefined);
    await sql.query(
      `INSERT INTO org_config (org_id${fields.map((f) => `, ${f}`).join('')})
       VALUES (${['$1', ...fields.map((_, i) => `$${i + 2}`)].join(', ')})`,
      [orgId, ...fields.map((f) => settings[f])],
    );
  }

  async update(sql: Sql, orgId: number, patch: Partial<OrgConfig>): Promise<OrgConfig> {
    const fields = ORG_CONFIG_FIELDS.filter((f) => patch[f] !== undefined);
    if (fields.length > 0) {
      await sql.query(
        `UPDATE org_config SET ${fields.map((f, i) => `${f} = $${i + 2}`).join(', ')}, updated_at = now()
          WHERE org_id = $1`,
        [orgId, ...fields.map((f) => patch[f])],
      );
    }
    return this.get(sql, orgId);
  }
}
