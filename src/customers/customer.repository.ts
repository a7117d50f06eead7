import { Injectable } from '@nestjs/common';
import { prepared, Prepared, Sql } from '../database/db';
import { CUSTOMER_COLUMNS, CUSTOMER_SQL, CUSTOMER_WHERE } from './customer.sql';
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

export interface NewCustomer {
  mobile?: string | null;
  email?: string | null;
  external_id?: string | null;
  card_number?: string | null;
  card_external_id?: string | null;
  firstname?: string;
  lastname?: string;
}

/** One prepared statement per kind of identifier: every redemption looks its customer up. */
const FIND_BY = Object.fromEntries(
  Object.entries(CUSTOMER_WHERE).map(([type, where]) => [
    type,
    prepared(`customer-by-${type}`, CUSTOMER_SQL.findBy(where)),
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

  /** Throws a unique violation (`customer_mobile`, `customer_email`, …) for a taken identifier. */
  async insert(sql: Sql, orgId: number, c: NewCustomer): Promise<CustomerRow> {
    const [row] = await sql.query<CustomerRow>(
      `INSERT INTO customer AS c (org_id, mobile, email, external_id, card_number, card_external_id, firstname, lastname)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${CUSTOMER_COLUMNS}`,
      [
        orgId,
        c.mobile ?? null,
        c.email ?? null,
        c.external_id ?? null,
        c.card_number ?? null,
        c.card_external_id ?? null,
        c.firstname ?? '',
        c.lastname ?? '',
      ],
    );
    return row;
  }

  async update(
    sql: Sql,
    orgId: number,
    id: number,
    patch: Partial<Pick<CustomerRow, 'fraud_status' | 'firstname' | 'lastname'>>,
  ): Promise<void> {
    const fields = (['fraud_status', 'firstname', 'lastname'] as const).filter(
      (f) => patch[f] !== undefined,
    );
    if (fields.length === 0) return;
    await sql.query(
      `UPDATE customer SET ${fields.map((f, i) => `${f} = $${i + 3}`).join(', ')} WHERE org_id = $1 AND id = $2`,
      [orgId, id, ...fields.map((f) => patch[f])],
    );
  }

  /**
   * Serialises the issuing of validation codes to one customer, so a per-customer limit
   * cannot be raced past. NO KEY: it must not block redemptions, whose foreign keys take a
   * key-share lock on the row.
   */
  async lockForCodeIssue(tx: Sql, orgId: number, customerId: number): Promise<void> {
    await tx.query('SELECT id FROM customer WHERE org_id = $1 AND id = $2 FOR NO KEY UPDATE', [
      orgId,
      customerId,
    ]);
  }
}
