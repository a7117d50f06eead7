import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { AuditFilter, AuditRow } from '../audit/audit.repository';
import { AdminCall, AuditLog } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { parseId } from '../common/ids';
import { Decimal } from '../common/decimal';
import { ConflictError, InvalidRequestError, NotFoundError } from '../common/errors';
import { Outcome } from '../common/outcome';
import { CustomerRow } from '../customers/customer.repository';
import { CustomersService } from '../customers/customers.service';
import { normalizeMobile } from '../customers/mobile';
import { RedemptionHistoryRow } from '../customers/redemption-history.repository';
import { Db, LockTimeoutError } from '../database/db';
import { ItemJournal } from '../idempotency/idempotency.service';
import { OrgSettings } from '../programs/org-settings';
import { RedemptionService } from '../redemptions/redemption.service';
import { Reversed, ReversalService } from '../reversals/reversal.service';
import { ConsoleReadRepository, HourlyRow, LedgerView, LotView } from './console-read.repository';

/** One keyset page: the rows, and the cursor of the next (older) page, if any. */
export interface Page<T> {
  rows: T[];
  nextBefore: number | null;
}

export interface ConsoleStats {
  from: Date;
  to: Date;
  hourly: HourlyRow[];
  refusals: { outcome: Outcome; program_id: number; count: number }[];
  outbox: { unsent: number; oldest_unsent_at: Date | null };
}

const SEARCH_LIMIT = 20;

function page<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  return { rows, nextBefore: rows.length === limit ? rows[rows.length - 1].id : null };
}

/**
 * What the operator console reads (and its one write of its own, a reversal): searches,
 * lots, ledger and redemption pages, the dashboard's figures, the audit log.
 */
@Injectable()
export class ConsoleService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: OrgSettings,
    private readonly reads: ConsoleReadRepository,
    private readonly customers: CustomersService,
    private readonly redemptionsService: RedemptionService,
    private readonly auditLog: AuditLog,
    private readonly reversals: ReversalService,
  ) {}

  /** Customers by id or by any identifier, a mobile in any shape a cashier types. */
  async searchCustomers(principal: Principal, q: string): Promise<CustomerRow[]> {
    const text = q.trim();
    if (text === '') return [];
    const rules = await this.settings.config(principal.orgId);
    const digits = text.replace(/\D/g, '');
    return this.reads.searchCustomers(
      this.db,
      principal.orgId,
      {
        id: parseId(text),
        mobile: digits.length >= 4 ? normalizeMobile(text, rules) : undefined,
        text,
      },
      SEARCH_LIMIT,
    );
  }

  private async customerOr404(orgId: number, id: number): Promise<CustomerRow> {
    const customer = await this.customers.findById(orgId, id);
    if (!customer) throw new NotFoundError(`Customer ${id} not found`);
    return customer;
  }

  async openLots(principal: Principal, customerId: number): Promise<LotView[]> {
    await this.customerOr404(principal.orgId, customerId);
    return this.reads.openLots(this.db, principal.orgId, customerId, this.clock.now());
  }

  async ledger(
    principal: Principal,
    customerId: number,
    before: string | undefined,
    limit: number,
  ): Promise<Page<LedgerView>> {
    await this.customerOr404(principal.orgId, customerId);
    const rows = await this.reads.ledgerPage(this.db, principal.orgId, customerId, before, limit);
    return page(rows, limit);
  }

  async redemptions(
    principal: Principal,
    customerId: number,
    before: string | undefined,
    limit: number,
  ): Promise<Page<RedemptionHistoryRow>> {
    await this.customerOr404(principal.orgId, customerId);
    return page(
      await this.customers.redemptionsBefore(principal.orgId, customerId, before, limit),
      limit,
    );
  }

  /**
   * Reverses a redemption from the console, fully or partly, as a till would; the audit
   * entry is written in the reversal's own transaction.
   */
  async reverse(call: AdminCall, code: string, points: string | undefined): Promise<Reversed> {
    const audit: ItemJournal = {
      done: () => undefined,
      record: async (sql, _index, outcome) => {
        const result = outcome as { reversed?: Reversed };
        if (!result.reversed) return; // a refusal: nothing changed, nothing to log
        await this.auditLog.record(
          sql,
          call,
          'redemption.reverse',
          ['redemption', code],
          null,
          result.reversed,
        );
      },
    };
    const result = await this.reversals.reverse(
      call,
      call.requestId,
      {
        by: { code },
        points: points === undefined ? undefined : Decimal.of(points),
        identifier: undefined,
      },
      audit,
      'admin',
    );
    if (result.ok) return result.reversed;
    // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- see below
    switch (result.outcome) {
      case 'REDEMPTION_NOT_FOUND':
        throw new NotFoundError(`Redemption ${code} not found`);
      case 'ALREADY_FULLY_REVERSED':
        throw new ConflictError('This redemption is already fully reversed');
      case 'REVERSAL_EXCEEDS_REDEMPTION':
        throw new InvalidRequestError('More points than are left to reverse', [
          { field: 'points', message: 'at most what is not yet reversed' },
        ]);
      case 'REVERSAL_NOT_A_MULTIPLE':
        throw new InvalidRequestError(
          "Not a multiple of the program's step, or it would leave less than one step",
          [{ field: 'points', message: "a multiple of the program's step, or the rest" }],
        );
      case 'TOO_MANY_REVERSALS':
        throw new ConflictError('The most partial reversals allowed were made: reverse the rest');
      case 'INVALID_PRECISION':
        throw new InvalidRequestError("More decimals than the redemption's program allows", [
          { field: 'points', message: 'too many decimal places' },
        ]);
      case 'WALLET_LOCKED':
        throw new LockTimeoutError();
    }
    // No other outcome comes out of a reversal without an identifier.
    throw new ConflictError(`Not reversed: ${result.outcome}`);
  }

  async stats(principal: Principal, hours: number): Promise<ConsoleStats> {
    const to = this.clock.now();
    const from = new Date(to.getTime() - hours * 3600_000);
    const [hourly, refusals, outbox] = await Promise.all([
      this.reads.hourly(this.db, principal.orgId, from),
      this.redemptionsService.refusalsSince(principal.orgId, from),
      this.reads.outbox(this.db, principal.orgId),
    ]);
    return {
      from,
      to,
      hourly,
      refusals: refusals.map((r) => ({ ...r, outcome: r.outcome as Outcome })),
      outbox,
    };
  }

  async audit(
    principal: Principal,
    filter: AuditFilter,
    before: string | undefined,
    limit: number,
  ): Promise<Page<AuditRow>> {
    return page(await this.auditLog.page(principal.orgId, filter, before, limit), limit);
  }
}
