import { Injectable } from '@nestjs/common';
import { Decimal } from '../common/decimal';
import { Sql } from '../database/db';

export interface Program {
  id: number;
  orgId: number;
  name: string;
  isDefault: boolean;
  minRedeem: Decimal;
  maxRedeem: Decimal | null;
  redeemMultipleOf: Decimal | null;
  decimalPlaces: number;
  pointsCurrencyRatio: Decimal;
}

interface ProgramRow {
  id: number;
  org_id: number;
  name: string;
  is_default: boolean;
  min_redeem: string;
  max_redeem: string | null;
  redeem_multiple_of: string | null;
  decimal_places: number;
  points_currency_ratio: string;
}

const PROGRAM_COLUMNS = `id, org_id, name, is_default, min_redeem, max_redeem,
  redeem_multiple_of, decimal_places, points_currency_ratio`;

function toProgram(r: ProgramRow): Program {
  return {
    id: r.id,
    orgId: r.org_id,
    name: r.name,
    isDefault: r.is_default,
    minRedeem: Decimal.of(r.min_redeem),
    maxRedeem: r.max_redeem === null ? null : Decimal.of(r.max_redeem),
    redeemMultipleOf: r.redeem_multiple_of === null ? null : Decimal.of(r.redeem_multiple_of),
    decimalPlaces: r.decimal_places,
    pointsCurrencyRatio: Decimal.of(r.points_currency_ratio),
  };
}

/** A program's rules as an admin sets them (decimals as their exact text): its row's columns. */
export type ProgramFields = Omit<ProgramRow, 'id' | 'org_id'>;

export const PROGRAM_FIELDS = [
  'name',
  'is_default',
  'min_redeem',
  'max_redeem',
  'redeem_multiple_of',
  'decimal_places',
  'points_currency_ratio',
] as const satisfies readonly (keyof ProgramFields)[];

@Injectable()
export class ProgramRepository {
  async list(sql: Sql, orgId: number): Promise<Program[]> {
    const rows = await sql.query<ProgramRow>(
      `SELECT ${PROGRAM_COLUMNS} FROM program WHERE org_id = $1 ORDER BY id`,
      [orgId],
    );
    return rows.map(toProgram);
  }

  async insert(sql: Sql, orgId: number, p: ProgramFields): Promise<Program> {
    const [row] = await sql.query<ProgramRow>(
      `INSERT INTO program (org_id, name, is_default, min_redeem, max_redeem, redeem_multiple_of,
                            decimal_places, points_currency_ratio)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${PROGRAM_COLUMNS}`,
      [
        orgId,
        p.name,
        p.is_default,
        p.min_redeem,
        p.max_redeem,
        p.redeem_multiple_of,
        p.decimal_places,
        p.points_currency_ratio,
      ],
    );
    return toProgram(row);
  }

  /** Sets the given fields; undefined when the org has no such program. */
  async update(
    sql: Sql,
    orgId: number,
    id: number,
    patch: Partial<ProgramFields>,
  ): Promise<Program | undefined> {
    const set = PROGRAM_FIELDS.filter((f) => patch[f] !== undefined);
    const [row] = await sql.query<ProgramRow>(
      `UPDATE program SET ${['org_id = org_id', ...set.map((f, i) => `${f} = $${i + 3}`)].join(', ')}
        WHERE org_id = $1 AND id = $2 RETURNING ${PROGRAM_COLUMNS}`,
      [orgId, id, ...set.map((f) => patch[f])],
    );
    return row && toProgram(row);
  }

  /** No program of the org is the default any more (the caller sets the new one). */
  async clearDefault(sql: Sql, orgId: number): Promise<void> {
    await sql.query('UPDATE program SET is_default = false WHERE org_id = $1 AND is_default', [
      orgId,
    ]);
  }

  /** The org's program with this id, or its default program when id is undefined. */
  async find(sql: Sql, orgId: number, id: number | undefined): Promise<Program | undefined> {
    const [row] =
      id === undefined
        ? await sql.query<ProgramRow>(
            `SELECT ${PROGRAM_COLUMNS} FROM program WHERE org_id = $1 AND is_default`,
            [orgId],
          )
        : await sql.query<ProgramRow>(
            `SELECT ${PROGRAM_COLUMNS} FROM program WHERE org_id = $1 AND id = $2`,
            [orgId, id],
          );
    return row && toProgram(row);
  }
}
