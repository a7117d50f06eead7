import { AuditRow } from '../audit/audit.repository';
import { ITEM_CODES } from '../capillary/status-codes';
import { wireId, wireNumber } from '../capillary/wire-json';
import { RedemptionHistoryRow } from '../customers/redemption-history.repository';
import { Reversed } from '../reversals/reversal.service';
import { ConsoleStats, Page } from './console.service';
import { LedgerView, LotView } from './console-read.repository';

/** The console's admin JSON: exact decimals as JSON numbers, large ids as strings. */

export function lotJson(l: LotView) {
  return {
    id: wireId(l.id),
    wallet_id: wireId(l.wallet_id),
    program_id: l.program_id,
    group_id: l.group_id,
    amount: wireNumber(l.amount),
    remaining: wireNumber(l.remaining),
    earned_at: l.earned_at,
    expires_at: l.expires_at,
    note: l.note,
  };
}

export function ledgerPageJson(p: Page<LedgerView>) {
  return {
    entries: p.rows.map((e) => ({
      id: wireId(e.id),
      wallet_id: wireId(e.wallet_id),
      program_id: e.program_id,
      group_id: e.group_id,
      kind: e.kind,
      amount: wireNumber(e.amount),
      balance_after: wireNumber(e.balance_after),
      redemption_id: e.redemption_id,
      actor_type: e.actor_type,
      created_at: e.created_at,
    })),
    next_before: wireId(p.nextBefore),
  };
}

export function redemptionPageJson(p: Page<RedemptionHistoryRow>) {
  return {
    redemptions: p.rows.map((r) => ({
      id: wireId(r.id),
      redemption_id: r.code,
      program_id: r.program_id,
      group_id: r.group_id,
      points: wireNumber(r.points),
      reversed_points: wireNumber(r.reversed_points),
      transaction_number: r.transaction_number,
      external_reference_number: r.external_reference_number,
      redemption_time: r.redemption_time,
      created_at: r.created_at,
      till: r.till,
      notes: r.notes,
      reversals: r.reversals.map((v) => ({
        reversal_id: v.reversal_id,
        points_reversed: wireNumber(v.points_reversed),
        points_expired: wireNumber(v.points_expired),
        created_at: v.created_at,
      })),
    })),
    next_before: wireId(p.nextBefore),
  };
}

export function reversedJson(r: Reversed) {
  return {
    redemption_id: r.redemptionCode,
    reversal_id: r.reversalCode,
    points_requested: wireNumber(r.requested),
    points_reversed: wireNumber(r.restored),
    points_expired: wireNumber(r.expired),
    balance: wireNumber(r.balance),
  };
}

export function statsJson(s: ConsoleStats) {
  const refusals = new Map<number, { code: number; message: string; count: number }>();
  for (const r of s.refusals) {
    const { code, message } = ITEM_CODES[r.outcome] ?? { code: 0, message: r.outcome };
    const entry = refusals.get(code) ?? { code, message, count: 0 };
    entry.count += r.count;
    refusals.set(code, entry);
  }
  return {
    from: s.from,
    to: s.to,
    hourly: s.hourly.map((h) => ({
      hour: h.hour,
      program_id: h.program_id,
      redemptions: h.redemptions,
      points: wireNumber(h.points),
    })),
    refusals: [...refusals.values()].sort((a, b) => b.count - a.count),
    outbox: s.outbox,
  };
}

export function auditPageJson(p: Page<AuditRow>) {
  return {
    entries: p.rows.map((e) => ({ ...e, id: wireId(e.id) })),
    next_before: wireId(p.nextBefore),
  };
}
