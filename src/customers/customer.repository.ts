import { Injectable } from '@nestjs/common';
import { prepared, Prepared, Sql } from '../database/db';
import { CustomerIdentifier } from './identifier';

export interface CustomerRow {
  id: number;
  org_id: number;
  mobile: string | null;
  email: string | null;
  external_id: string | null;
  card_number: string | null;
  card_external_id: string | null;
  firstname: string;
  lastname: string;
  fraud_status: 'NONE' | 'MARKED' | 'CONFIRMED';
  created_at: Date;
}

const COLUMNS = `id, org_id, mobile, email, external_id, card_number, card_external_id,
  firstname, lastname, fraud_status, created_at`;

const WHERE: Record<CustomerIdentifier['type'], string> = {
  id: 'id = $2::int',
  mobile: 'mobile = $2',
  email: 'lower(email) = lower($2)',
  external_id: 'external_id = $2',
  card_number: 'card_number = $2',
  card_external_id: 'card_external_id = $2',
};

/** One prepared statement per kind of identifier: every redemption looks its customer up. */
const FIND_BY = Object.fromEntries(
  Object.entries(WHERE).map(([type, where]) => [
    type,
    prepared(
      `customer-by-${type}`,
      `SELECT ${COLUMNS} FROM customer WHERE org_id = $1 AND ${where}`,
    ),
  ]),
) as Record<CustomerIdentifier['type'], Prepared>;

@Injectable()
export class CustomerRepository {
  async findByIdentifier(
    sql: Sql,
    orgId: number,
    identifier: CustomerIdentifier,
  ): Promise<CustomerRow | undefined> {
    const [row] = await sql.query<CustomerRow>(FIND_BY[identifier.type], [orgId, identifier.value]);
    return row;
  }

  async findById(sql: Sql, orgId: number, id: number): Promise<CustomerRow | undefined> {
    return this.findByIdentifier(sql, orgId, { type: 'id', value: String(id) });
  }
}
