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

export interface ProgramRow {
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

export const PROGRAM_COLUMNS = `id, org_id, name, is_default, min_redeem, max_redeem,
  redeem_multiple_of, decimal_places, points_currency_ratio`;

export function toProgram(r: ProgramRow): Program {
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

@Injectable()
export class ProgramRepository {
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
