import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';

/** Organisations (tenants). Created by the seed (or org:create); no API creates them. */
@Injectable()
export class OrgRepository {
  async count(sql: Sql): Promise<number> {
    const [{ n }] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM org');
    return n;
  }

  /** Every org's id: the cross-org jobs work one org at a time (docs/scaling.md). */
  async ids(sql: Sql): Promise<number[]> {
    const rows = await sql.query<{ id: number }>('SELECT id FROM org ORDER BY id');
    return rows.map((r) => r.id);
  }

  async codeOf(sql: Sql, orgId: number): Promise<string | undefined> {
    const [row] = await sql.query<{ code: string }>('SELECT code FROM org WHERE id = $1', [orgId]);
    return row?.code;
  }

  async findByCode(sql: Sql, code: string): Promise<number | undefined> {
    const [row] = await sql.query<{ id: number }>('SELECT id FROM org WHERE code = $1', [code]);
    return row?.id;
  }

  async insert(sql: Sql, code: string, name: string): Promise<number> {
    const [{ id }] = await sql.query<{ id: number }>(
      'INSERT INTO org (code, name) VALUES ($1, $2) RETURNING id',
      [code, name],
    );
    return id;
  }
}
