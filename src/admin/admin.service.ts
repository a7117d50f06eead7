import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../capillary/api-error';
import { stringifyWireJson, wireNumber } from '../capillary/wire-json';
import { WireResponse } from '../capillary/wire-response';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { hashPassword } from '../auth/password';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { Decimal } from '../common/decimal';
import { CustomerRepository, CustomerRow } from '../customers/customer.repository';
import { pickIdentifier } from '../customers/identifier';
import { WalletSummaryRepository } from '../customers/wallet-summary.repository';
import { Db, Sql } from '../database/db';
import { constraintName, PgError, sqlState } from '../database/pg-errors';
import { OrgConfig, OrgConfigRepository } from '../programs/org-config.repository';
import { OrgSettings } from '../programs/org-settings';
import {
  PROGRAM_COLUMNS,
  ProgramRepository,
  ProgramRow,
  toProgram,
} from '../programs/program.repository';
import { MissedCallRepository } from '../validation-codes/missed-call.repository';
import { Actor, WalletOwner, WalletRepository } from '../wallets/wallet.repository';
import {
  CreditDto,
  CustomerCreateDto,
  CustomerPatchDto,
  GroupCreateDto,
  GroupPatchDto,
  ProgramCreateDto,
  ProgramPatchDto,
  TillCreateDto,
} from './dto/admin.dto';

function programJson(r: ProgramRow) {
  const p = toProgram(r);
  return {
    id: p.id,
    name: p.name,
    is_default: p.isDefault,
    min_redeem: wireNumber(p.minRedeem),
    max_redeem: p.maxRedeem && wireNumber(p.maxRedeem),
    redeem_multiple_of: p.redeemMultipleOf && wireNumber(p.redeemMultipleOf),
    decimal_places: p.decimalPlaces,
    points_currency_ratio: wireNumber(p.pointsCurrencyRatio),
  };
}

function customerJson(c: CustomerRow) {
  return {
    id: c.id,
    mobile: c.mobile,
    email: c.email,
    external_id: c.external_id,
    card_number: c.card_number,
    card_external_id: c.card_external_id,
    firstname: c.firstname,
    lastname: c.lastname,
    fraud_status: c.fraud_status,
    created_at: c.created_at,
  };
}

const conflict = (err: unknown, messages: Record<string, string>): never => {
  if (sqlState(err) === PgError.UNIQUE_VIOLATION) {
    const name = constraintName(err) ?? '';
    throw ApiError.conflict(messages[name] ?? 'Already exists');
  }
  throw err;
};

interface GroupRow {
  id: number;
  external_id: string;
  primary_customer_id: number;
  redemption_enabled: boolean;
  member_ids: number[];
}

/** The admin API: an org's operators configure it and stand in for the earning side. */
@Injectable()
export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly orgConfigs: OrgConfigRepository,
    private readonly programs: ProgramRepository,
    private readonly settings: OrgSettings,
    private readonly customers: CustomerRepository,
    private readonly summaries: WalletSummaryRepository,
    private readonly wallets: WalletRepository,
    private readonly missedCalls: MissedCallRepository,
    private readonly idempotency: IdempotencyService,
  ) {}

  private actor(principal: Principal, requestId: string): Actor {
    return { type: 'admin', id: principal.userId, requestId };
  }

  getConfig(principal: Principal): Promise<OrgConfig> {
    return this.orgConfigs.get(this.db, principal.orgId);
  }

  patchConfig(principal: Principal, patch: Partial<OrgConfig>): Promise<OrgConfig> {
    return this.db
      .transaction(async (tx) => {
        const config = await this.orgConfigs.update(tx, principal.orgId, patch);
        // Out of demo mode, the readable copies demo mode kept of delivered codes go.
        if (patch.demo_mode === false) {
          await tx.query(
            `UPDATE notification SET clear_text = NULL
              WHERE org_id = $1 AND clear_text IS NOT NULL AND (sent_at IS NOT NULL OR attempts >= 10)`,
            [principal.orgId],
          );
        }
        return config;
      })
      .finally(() => this.settings.invalidate(principal.orgId));
  }

  async listPrograms(principal: Principal) {
    const rows = await this.db.query<ProgramRow>(
      `SELECT ${PROGRAM_COLUMNS} FROM program WHERE org_id = $1 ORDER BY id`,
      [principal.orgId],
    );
    return rows.map(programJson);
  }

  async createProgram(principal: Principal, dto: ProgramCreateDto) {
    return this.db
      .transaction(async (tx) => {
        if (dto.is_default) await this.clearDefault(tx, principal.orgId);
        const [row] = await tx.query<ProgramRow>(
          `INSERT INTO program (org_id, name, is_default, min_redeem, max_redeem, redeem_multiple_of,
                                decimal_places, points_currency_ratio)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${PROGRAM_COLUMNS}`,
          [
            principal.orgId,
            dto.name,
            dto.is_default ?? false,
            dto.min_redeem ?? '0',
            dto.max_redeem ?? null,
            dto.redeem_multiple_of ?? null,
            dto.decimal_places ?? 3,
            dto.points_currency_ratio ?? '1',
          ],
        );
        return programJson(row);
      })
      .finally(() => this.settings.invalidate(principal.orgId))
      .catch((err: unknown) =>
        conflict(err, { program_org_id_name_key: 'A program with this name exists' }),
      );
  }

  async patchProgram(principal: Principal, id: number, dto: ProgramPatchDto) {
    return this.db
      .transaction(async (tx) => {
        const existing = await this.programs.find(tx, principal.orgId, id);
        if (!existing) throw ApiError.notFound(`Program ${id} not found`);
        if (dto.is_default === true) await this.clearDefault(tx, principal.orgId);
        if (dto.is_default === false && existing.isDefault)
          throw ApiError.badRequest('Make another program the default instead', [
            { field: 'is_default', message: 'an org always has one default program' },
          ]);
        const fields = [
          'name',
          'is_default',
          'min_redeem',
          'max_redeem',
          'redeem_multiple_of',
          'decimal_places',
          'points_currency_ratio',
        ] as const;
        const set = fields.filter((f) => dto[f] !== undefined);
        const [row] = await tx.query<ProgramRow>(
          `UPDATE program SET ${['org_id = org_id', ...set.map((f, i) => `${f} = $${i + 3}`)].join(', ')}
            WHERE org_id = $1 AND id = $2 RETURNING ${PROGRAM_COLUMNS}`,
          [principal.orgId, id, ...set.map((f) => dto[f])],
        );
        return programJson(row);
      })
      .finally(() => this.settings.invalidate(principal.orgId))
      .catch((err: unknown) => {
        if (sqlState(err) === PgError.CHECK_VIOLATION)
          throw ApiError.badRequest('max_redeem must be at least min_redeem', [
            { field: 'max_redeem', message: 'must be >= min_redeem' },
          ]);
        return conflict(err, { program_org_id_name_key: 'A program with this name exists' });
      });
  }

  private async clearDefault(tx: Sql, orgId: number): Promise<void> {
    await tx.query('UPDATE program SET is_default = false WHERE org_id = $1 AND is_default', [
      orgId,
    ]);
  }

  async listAccessGroups(principal: Principal) {
    return this.db.query(
      `SELECT id, name, points_level AS points, customer_level AS customer, admin_level AS admin
         FROM access_group WHERE org_id = $1 ORDER BY id`,
      [principal.orgId],
    );
  }

  async listTills(principal: Principal) {
    return this.db.query(
      `SELECT u.id, u.username, g.name AS access_group, u.active, u.created_at
         FROM app_user u JOIN access_group g ON g.id = u.access_group_id
        WHERE u.org_id = $1 ORDER BY u.id`,
      [principal.orgId],
    );
  }

  async createTill(principal: Principal, dto: TillCreateDto) {
    const byId = typeof dto.access_group === 'number';
    const [group] = await this.db.query<{ id: number; name: string }>(
      `SELECT id, name FROM access_group WHERE org_id = $1 AND ${byId ? 'id = $2::int' : 'name = $2'}`,
      [principal.orgId, String(dto.access_group)],
    );
    if (!group) throw ApiError.notFound(`Access group ${String(dto.access_group)} not found`);
    const hash = await hashPassword(dto.password);
    const [row] = await this.db
      .query<{ id: number; created_at: Date }>(
        `INSERT INTO app_user (org_id, username, password_hash, access_group_id)
         VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
        [principal.orgId, dto.username, hash, group.id],
      )
      .catch((err: unknown) => conflict(err, { app_user_username_key: 'Username is taken' }));
    return {
      id: row.id,
      username: dto.username,
      access_group: group.name,
      active: true,
      created_at: row.created_at,
    };
  }

  async createCustomer(principal: Principal, dto: CustomerCreateDto) {
    if (
      !dto.mobile &&
      !dto.email &&
      !dto.external_id &&
      !dto.card_number &&
      !dto.card_external_id
    ) {
      throw ApiError.badRequest('A customer needs at least one identifier', [
        {
          field: 'mobile',
          message: 'one of mobile, email, external_id, card_number, card_external_id is required',
        },
      ]);
    }
    const [row] = await this.db
      .query<CustomerRow>(
        `INSERT INTO customer (org_id, mobile, email, external_id, card_number, card_external_id, firstname, lastname)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING id, org_id, mobile, email, external_id, card_number, card_external_id, firstname, lastname, fraud_status, created_at`,
        [
          principal.orgId,
          dto.mobile ?? null,
          dto.email ?? null,
          dto.external_id ?? null,
          dto.card_number ?? null,
          dto.card_external_id ?? null,
          dto.firstname ?? '',
          dto.lastname ?? '',
        ],
      )
      .catch((err: unknown) =>
        conflict(err, {
          customer_mobile: 'A customer with this mobile exists',
          customer_email: 'A customer with this email exists',
          customer_external_id: 'A customer with this external_id exists',
          customer_card_number: 'A customer with this card_number exists',
          customer_card_external_id: 'A customer with this card_external_id exists',
        }),
      );
    return customerJson(row);
  }

  private async customerOr404(sql: Sql, orgId: number, id: number): Promise<CustomerRow> {
    const customer = await this.customers.findById(sql, orgId, id);
    if (!customer) throw ApiError.notFound(`Customer ${id} not found`);
    return customer;
  }

  async getCustomer(principal: Principal, id: number) {
    const customer = await this.customerOr404(this.db, principal.orgId, id);
    const wallets = await this.summaries.forCustomer(this.db, customer.id, this.clock.now());
    return {
      ...customerJson(customer),
      wallets: wallets.map((w) => ({
        wallet_id: w.wallet_id,
        program_id: w.program_id,
        group_id: w.group_id,
        balance: wireNumber(w.available),
        lifetime_points: wireNumber(w.lifetime_points),
        redeemed: wireNumber(w.redeemed),
        expired: wireNumber(w.expired),
        returned: wireNumber(w.returned),
      })),
    };
  }

  async patchCustomer(principal: Principal, id: number, dto: CustomerPatchDto) {
    await this.customerOr404(this.db, principal.orgId, id);
    const fields = (['fraud_status', 'firstname', 'lastname'] as const).filter(
      (f) => dto[f] !== undefined,
    );
    if (fields.length > 0) {
      await this.db.query(
        `UPDATE customer SET ${fields.map((f, i) => `${f} = $${i + 3}`).join(', ')} WHERE org_id = $1 AND id = $2`,
        [principal.orgId, id, ...fields.map((f) => dto[f])],
      );
    }
    return customerJson(await this.customerOr404(this.db, principal.orgId, id));
  }

  /** Adds a lot to a customer's or group's wallet (creating the wallet on first credit). */
  async credit(
    principal: Principal,
    requestId: string,
    dto: CreditDto,
    idempotencyKey?: string,
  ): Promise<WireResponse> {
    const targets = [dto.customer, dto.customer_id, dto.group_id].filter((t) => t !== undefined);
    if (targets.length !== 1) {
      throw ApiError.badRequest('Give exactly one of customer, customer_id, group_id', [
        { field: 'customer', message: 'exactly one of customer, customer_id, group_id' },
      ]);
    }
    const now = this.clock.now();
    const expiresAt = dto.expires_at ? new Date(dto.expires_at) : null;
    const earnedAt = dto.earned_at ? new Date(dto.earned_at) : now;
    if (expiresAt && expiresAt <= now) {
      throw ApiError.badRequest('expires_at must be in the future', [
        { field: 'expires_at', message: 'must be later than now' },
      ]);
    }
    const orgId = principal.orgId;
    let owner: WalletOwner;
    if (dto.group_id !== undefined) {
      const [g] = await this.db.query(
        'SELECT id FROM customer_group WHERE org_id = $1 AND id = $2',
        [orgId, dto.group_id],
      );
      if (!g) throw ApiError.notFound(`Group ${dto.group_id} not found`);
      owner = { groupId: dto.group_id };
    } else if (dto.customer_id !== undefined) {
      owner = { customerId: (await this.customerOr404(this.db, orgId, dto.customer_id)).id };
    } else {
      const identifier = pickIdentifier(dto.customer as Record<string, unknown>);
      if (typeof identifier === 'string')
        throw ApiError.badRequest('customer needs an identifier', [
          { field: 'customer', message: 'no usable identifier' },
        ]);
      const customer = await this.customers.findByIdentifier(this.db, orgId, identifier);
      if (!customer) throw ApiError.notFound('Customer not found');
      owner = { customerId: customer.id };
    }
    const program = await this.programs.find(this.db, orgId, dto.program_id);
    if (!program) throw ApiError.notFound(`Program ${dto.program_id ?? '(default)'} not found`);
    const points = Decimal.of(dto.points);
    const actor = this.actor(principal, requestId);
    const hash = () => IdempotencyService.requestHash('credit', '/admin/points/credit', {}, dto);

    // A retried credit with the same Idempotency-Key adds the points once.
    return this.idempotency.run(orgId, idempotencyKey, hash, async (lease) => {
      const done = lease?.done.get(0);
      if (done) return new WireResponse(done.status ?? HttpStatus.CREATED, done.json);
      return this.db.transaction(async (tx) => {
        const wallet = await this.wallets.lockOrCreate(tx, orgId, program.id, owner);
        await this.wallets.sweep(tx, wallet, now, actor);
        const { lotId, balance } = await this.wallets.credit(
          tx,
          wallet,
          points,
          earnedAt,
          expiresAt,
          dto.note ?? '',
          actor,
        );
        const body = stringifyWireJson({
          lot: {
            id: lotId,
            wallet_id: wallet.id,
            program_id: program.id,
            points: wireNumber(points),
            earned_at: earnedAt,
            expires_at: expiresAt,
          },
          balance: wireNumber(balance),
        });
        if (lease)
          await this.idempotency.recordItem(tx, lease, 0, {
            ok: true,
            json: body,
            status: HttpStatus.CREATED,
          });
        return new WireResponse(HttpStatus.CREATED, body);
      });
    });
  }

  async createGroup(principal: Principal, dto: GroupCreateDto) {
    const orgId = principal.orgId;
    return this.db
      .transaction(async (tx) => {
        await this.customerOr404(tx, orgId, dto.primary_customer_id);
        const [{ id }] = await tx.query<{ id: number }>(
          `INSERT INTO customer_group (org_id, external_id, primary_customer_id, redemption_enabled)
           VALUES ($1, $2, $3, $4) RETURNING id`,
          [orgId, dto.external_id, dto.primary_customer_id, dto.redemption_enabled ?? true],
        );
        const members = [...new Set([dto.primary_customer_id, ...(dto.member_ids ?? [])])];
        for (const m of members) {
          await this.customerOr404(tx, orgId, m);
          await tx.query(
            'INSERT INTO group_member (org_id, group_id, customer_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
            [orgId, id, m],
          );
        }
        return this.groupJson(tx, orgId, id);
      })
      .catch((err: unknown) =>
        conflict(err, {
          customer_group_org_id_external_id_key: 'A group with this external_id exists',
        }),
      );
  }

  async patchGroup(principal: Principal, id: number, dto: GroupPatchDto) {
    await this.groupJson(this.db, principal.orgId, id);
    if (dto.redemption_enabled !== undefined) {
      await this.db.query(
        'UPDATE customer_group SET redemption_enabled = $3 WHERE org_id = $1 AND id = $2',
        [principal.orgId, id, dto.redemption_enabled],
      );
    }
    return this.groupJson(this.db, principal.orgId, id);
  }

  async addGroupMember(principal: Principal, groupId: number, customerId: number) {
    const orgId = principal.orgId;
    await this.groupJson(this.db, orgId, groupId);
    await this.customerOr404(this.db, orgId, customerId);
    await this.db.query(
      'INSERT INTO group_member (org_id, group_id, customer_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [orgId, groupId, customerId],
    );
    return this.groupJson(this.db, orgId, groupId);
  }

  async getGroup(principal: Principal, id: number) {
    return this.groupJson(this.db, principal.orgId, id);
  }

  private async groupJson(sql: Sql, orgId: number, id: number) {
    const [row] = await sql.query<GroupRow>(
      `SELECT g.id, g.external_id, g.primary_customer_id, g.redemption_enabled,
              COALESCE(array_agg(m.customer_id ORDER BY m.customer_id) FILTER (WHERE m.customer_id IS NOT NULL), '{}') AS member_ids
         FROM customer_group g LEFT JOIN group_member m ON m.group_id = g.id
        WHERE g.org_id = $1 AND g.id = $2 GROUP BY g.id`,
      [orgId, id],
    );
    if (!row) throw ApiError.notFound(`Group ${id} not found`);
    return row;
  }

  async recordMissedCall(principal: Principal, mobile: string) {
    const at = this.clock.now();
    const id = await this.missedCalls.record(this.db, principal.orgId, mobile, at);
    return { id, mobile, called_at: at };
  }

  /** The outbox; texts carry the code masked unless the org is in demo mode. */
  async listNotifications(principal: Principal, customerId: number | undefined) {
    return this.db.query(
      `SELECT n.id, n.customer_id, n.channel, n.recipient,
              CASE WHEN c.demo_mode THEN coalesce(n.clear_text, n.text) ELSE n.text END AS text,
              n.created_at, n.sent_at
         FROM notification n JOIN org_config c ON c.org_id = n.org_id
        WHERE n.org_id = $1 AND ($2::int IS NULL OR n.customer_id = $2) ORDER BY n.id DESC LIMIT 500`,
      [principal.orgId, customerId ?? null],
    );
  }

  async listCustomFields(principal: Principal) {
    return this.db.query(`SELECT id, scope, name FROM custom_field WHERE org_id = $1 ORDER BY id`, [
      principal.orgId,
    ]);
  }

  async createCustomField(principal: Principal, name: string) {
    const [row] = await this.db
      .query(
        `INSERT INTO custom_field (org_id, scope, name) VALUES ($1, 'redemption', $2) RETURNING id, scope, name`,
        [principal.orgId, name],
      )
      .catch((err: unknown) =>
        conflict(err, { custom_field_org_id_scope_name_key: 'This custom field exists' }),
      );
    return row;
  }

  /**
   * Every wallet of the org: balance = sum of its ledger = sum of its open lots, never
   * negative; every redemption's allocations add up to what it took, net of reversals.
   */
  async verifyLedger(principal: Principal) {
    const wallets = await this.db.query<{
      id: string;
      balance: string;
      ledger: string;
      lots: string;
    }>(
      `SELECT w.id, w.balance, COALESCE(l.total, 0) AS ledger, COALESCE(o.total, 0) AS lots
         FROM wallet w
         LEFT JOIN (SELECT wallet_id, sum(amount) AS total FROM ledger_entry GROUP BY wallet_id) l ON l.wallet_id = w.id
         LEFT JOIN (SELECT wallet_id, sum(remaining) AS total FROM lot GROUP BY wallet_id) o ON o.wallet_id = w.id
        WHERE w.org_id = $1 ORDER BY w.id`,
      [principal.orgId],
    );
    const failures: { wallet_id?: string; redemption_id?: string; problem: string }[] = [];
    for (const w of wallets) {
      const balance = Decimal.of(w.balance);
      if (balance.isNegative())
        failures.push({ wallet_id: w.id, problem: `negative balance ${w.balance}` });
      if (!balance.eq(Decimal.of(w.ledger)))
        failures.push({
          wallet_id: w.id,
          problem: `balance ${w.balance} but ledger sums to ${w.ledger}`,
        });
      if (!balance.eq(Decimal.of(w.lots)))
        failures.push({
          wallet_id: w.id,
          problem: `balance ${w.balance} but open lots hold ${w.lots}`,
        });
    }
    const redemptions = await this.db.query<{
      code: string;
      points: string;
      reversed: string;
      allocated: string;
      alloc_reversed: string;
      ledger: string;
    }>(
      `SELECT r.code, r.points, r.reversed_points AS reversed,
              COALESCE(a.points, 0) AS allocated, COALESCE(a.reversed, 0) AS alloc_reversed,
              COALESCE(l.amount, 0) AS ledger
         FROM redemption r
         LEFT JOIN (SELECT redemption_id, sum(points) AS points, sum(reversed) AS reversed
                      FROM redemption_allocation GROUP BY redemption_id) a ON a.redemption_id = r.id
         LEFT JOIN (SELECT redemption_id, sum(amount) AS amount FROM ledger_entry
                     WHERE kind = 'REDEMPTION' GROUP BY redemption_id) l ON l.redemption_id = r.id
        WHERE r.org_id = $1`,
      [principal.orgId],
    );
    for (const r of redemptions) {
      if (!Decimal.of(r.allocated).eq(Decimal.of(r.points)))
        failures.push({
          redemption_id: r.code,
          problem: `allocations ${r.allocated} != points ${r.points}`,
        });
      if (!Decimal.of(r.alloc_reversed).eq(Decimal.of(r.reversed)))
        failures.push({
          redemption_id: r.code,
          problem: `reversed allocations ${r.alloc_reversed} != reversed ${r.reversed}`,
        });
      if (!Decimal.of(r.ledger).neg().eq(Decimal.of(r.points)))
        failures.push({
          redemption_id: r.code,
          problem: `ledger debit ${r.ledger} != points ${r.points}`,
        });
    }
    return {
      ok: failures.length === 0,
      wallets_checked: wallets.length,
      redemptions_checked: redemptions.length,
      failures,
    };
  }
}
