import type { HourlyStat } from '../../api';

export interface HourBucket {
  /** Start of the hour, ms since the epoch. */
  at: number;
  redemptions: number;
  points: number;
}

const HOUR = 3_600_000;

/**
 * One bucket per hour from `from` to `to` (the API lists only hours with redemptions), summed
 * over the programs in `programId` (all when undefined).
 */
export function fillHours(
  from: string,
  to: string,
  hourly: HourlyStat[],
  programId?: number,
): HourBucket[] {
  const start = Math.floor(Date.parse(from) / HOUR) * HOUR;
  const end = Math.floor(Date.parse(to) / HOUR) * HOUR;
  const buckets = new Map<number, HourBucket>();
  if (Number.isFinite(start) && Number.isFinite(end)) {
    for (let at = Math.max(start, end - 48 * HOUR); at <= end; at += HOUR) {
      buckets.set(at, { at, redemptions: 0, points: 0 });
    }
  }
  for (const h of hourly) {
    if (programId !== undefined && h.program_id !== programId) continue;
    const at = Math.floor(Date.parse(h.hour) / HOUR) * HOUR;
    if (!Number.isFinite(at)) continue;
    const bucket = buckets.get(at) ?? { at, redemptions: 0, points: 0 };
    bucket.redemptions += h.redemptions;
    bucket.points = round3(bucket.points + h.points);
    buckets.set(at, bucket);
  }
  return [...buckets.values()].sort((a, b) => a.at - b.at);
}

export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export interface ProgramTotal {
  program_id: number;
  redemptions: number;
  points: number;
}

export function totalsByProgram(hourly: HourlyStat[]): ProgramTotal[] {
  const totals = new Map<number, ProgramTotal>();
  for (const h of hourly) {
    const t = totals.get(h.program_id) ?? { program_id: h.program_id, redemptions: 0, points: 0 };
    t.redemptions += h.redemptions;
    t.points = round3(t.points + h.points);
    totals.set(h.program_id, t);
  }
  return [...totals.values()].sort((a, b) => a.program_id - b.program_id);
}
