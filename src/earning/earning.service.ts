import { Injectable } from '@nestjs/common';
import { AdminCall, AuditLog } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { Decimal } from '../common/decimal';
import { InvalidRequestError, NotFoundError } from '../common/errors';
import { CustomersService } from '../customers/customers.service';
import { pickIdentifier } from '../customers/identifier';
import { Db } from '../database/db';
import { GroupsService } from '../groups/groups.service';
import { ItemJournal } from '../idempotency/idempotency.service';
import { LedgerService } from '../ledger/ledger.service';
import { Actor, WalletOwner } from '../ledger/wallet';
import { ProgramsService } from '../programs/programs.service';
import { Program } from '../programs/program.repository';

/** A credit as asked: exactly one of customer (an identifier), customer_id, group_id. */
export interface CreditRequest {
  customer?: object;
  customer_id?: number;
  group_id?: number;
  program_id?: number;
  points: string;
  earned_at?: string;
  expires_at?: string;
  note?: string;
}

/** A credit checked and resolved, ready to be applied (once, under an Idempotency-Key). */
export interface CreditPlan {
  orgId: number;
  owner: WalletOwner;
  program: Program;
  points: Decimal;
  earnedAt: Date;
  expiresAt: Date | null;
  note: string;
  actor: Actor;
  call: AdminCall;
  now: Date;
}

/** What a credit did: exact decimals as text, times as ISO text (it is replayed as stored). */
export interface CreditResult {
  lotId: number;
  walletId: number;
  programId: number;
  points: string;
  earnedAt: string;
  expiresAt: string | null;
  balance: string;
}

/**
 * Earning: points credited to a customer's or a group's wallet as a new lot. The loyalty
 * engine's side of the books; here operators (and the seed) stand in for it.
 */
@Injectable()
export class EarningService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly programs: ProgramsService,
    private readonly customers: CustomersService,
    private readonly groups: GroupsService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Checks a credit and resolves what it names (customer or group, program); throws when it
   * cannot be carried out. Nothing is written.
   */
  async planCredit(principal: AdminCall, dto: CreditRequest): Promise<CreditPlan> {
    const requestId = principal.requestId;
    const targets = [dto.customer, dto.customer_id, dto.group_id].filter((t) => t !== undefined);
    if (targets.length !== 1) {
      throw new InvalidRequestError('Give exactly one of customer, customer_id, group_id', [
        { field: 'customer', message: 'exactly one of customer, customer_id, group_id' },
      ]);
    }
    const now = this.clock.now();
    const expiresAt = dto.expires_at ? new Date(dto.expires_at) : null;
    const earnedAt = dto.earned_at ? new Date(dto.earned_at) : now;
    if (expiresAt && expiresAt <= now) {
      throw new InvalidRequestError('expires_at must be in the future', [
        { field: 'expires_at', message: 'must be later than now' },
      ]);
    }
    const orgId = principal.orgId;
    let owner: WalletOwner;
    if (dto.group_id !== undefined) {
      if (!(await this.groups.exists(orgId, dto.group_id)))
        throw new NotFoundError(`Group ${dto.group_id} not found`);
      owner = { groupId: dto.group_id };
    } else if (dto.customer_id !== undefined) {
      const customer = await this.customers.findById(orgId, dto.customer_id);
      if (!customer) throw new NotFoundError(`Customer ${dto.customer_id} not found`);
      owner = { customerId: customer.id };
    } else {
      const identifier = pickIdentifier(dto.customer as Record<string, unknown>);
      if (typeof identifier === 'string')
        throw new InvalidRequestError('customer needs an identifier', [
          { field: 'customer', message: 'no usable identifier' },
        ]);
      const customer = await this.customers.findByIdentifier(orgId, identifier);
      if (!customer) throw new NotFoundError('Customer not found');
      owner = { customerId: customer.id };
    }
    const program = await this.programs.find(orgId, dto.program_id);
    if (!program) throw new NotFoundError(`Program ${dto.program_id ?? '(default)'} not found`);
    return {
      orgId,
      owner,
      program,
      points: Decimal.of(dto.points),
      earnedAt,
      expiresAt,
      note: dto.note ?? '',
      actor: { type: 'admin', id: principal.userId, requestId },
      call: principal,
      now,
    };
  }

  /** Adds the lot (creating the wallet on first credit); under a key, once. */
  async credit(plan: CreditPlan, journal: ItemJournal | undefined): Promise<CreditResult> {
    const done = journal?.done(0);
    if (done) return done as CreditResult;
    const target = { orgId: plan.orgId, programId: plan.program.id, owner: plan.owner };
    return this.db.transaction((tx) =>
      this.ledger.withLockedWallet(tx, { ...target, create: true }, plan, async (wallet) => {
        const { lotId, balance } = await wallet.credit({
          points: plan.points,
          earnedAt: plan.earnedAt,
          expiresAt: plan.expiresAt,
          note: plan.note,
        });
        const result: CreditResult = {
          lotId,
          walletId: wallet.id,
          programId: plan.program.id,
          points: plan.points.toString(),
          earnedAt: plan.earnedAt.toISOString(),
          expiresAt: plan.expiresAt?.toISOString() ?? null,
          balance: balance.toString(),
        };
        await this.audit.record(
          tx,
          plan.call,
          'points.credit',
          'groupId' in plan.owner
            ? ['group', plan.owner.groupId]
            : ['customer', plan.owner.customerId],
          null,
          // Ids as the wire writes them, as earlier entries hold them.
          { ...result, lotId: String(lotId), walletId: String(wallet.id), note: plan.note },
        );
        await journal?.record(tx, 0, result);
        return result;
      }),
    );
  }
}
