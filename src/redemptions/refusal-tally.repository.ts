import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';

/** Refused redemption items counted per org, hour, program and outcome (the console's chart). */
@Injectable()
export class RefusalTallyRepository {
  /** Adds `counts` (outcome → items) to the hour's tally, one statement for the request. */
  async add(
    sql: Sql,
    orgId: number,
    hour: Date,
    programId: number,
    counts: Map<string, number>,
  ): Promise<void> {
    const outcomes = [...counts.keys()];
    await sql.execute(
      `INSERT INTO refusal_tally (org_id, hour, program_id, outcome, count)
       SELECT $1, $2, $3, o, n FROM unnest($4::text[], $5::int[]) AS t(o, n)
       ON CONFLICT (org_id, hour, program_id, outcome)
       DO UPDATE SET count = refusal_tally.count + EXCLUDED.count`,
      [orgId, hour, programId, outcomes, outcomes.map((o) => counts.get(o))],
    );
  }

  async since(
    sql: Sql,
    orgId: number,
    from: Date,
  ): Promise<{ outcome: string; program_id: number; count: number }[]> {
    return sql.query(
      `SELECT outcome, program_id, sum(count)::int AS count FROM refusal_tally
        WHERE org_id = $1 AND hour >= date_trunc('hour', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
        GROUP BY outcome, program_id ORDER BY count DESC`,
      [orgId, from],
    );
  }
}
