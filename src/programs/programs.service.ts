import { Injectable } from '@nestjs/common';
import { AdminCall, AuditLog } from '../audit/audit.service';
import { Principal } from '../auth/principal';
import { InvalidRequestError, NotFoundError } from '../common/errors';
import { Db } from '../database/db';
import { conflictOn, PgError, sqlState } from '../database/pg-errors';
import { OrgConfig, OrgConfigRepository } from './org-config.repository';
import { OrgSettings } from './org-settings';
import { Program, ProgramRepository } from './program.repository';

/** What a new program may set; the rest takes its default. */
export interface ProgramCreate {
  name: string;
  is_default?: boolean;
  min_redeem?: string;
  max_redeem?: string | null;
  redeem_multiple_of?: string | null;
  decimal_places?: number;
  points_currency_ratio?: string;
}

export type ProgramPatch = Partial<ProgramCreate>;

const PROGRAM_NAME_TAKEN = { program_org_id_name_key: 'A program with this name exists' };

/** An org's configuration and programs, as its operators change them. */
@Injectable()
export class ProgramsService {
  constructor(
    private readonly db: Db,
    private readonly orgConfigs: OrgConfigRepository,
    private readonly programs: ProgramRepository,
    private readonly settings: OrgSettings,
    private readonly audit: AuditLog,
  ) {}

  getConfig(principal: Principal): Promise<OrgConfig> {
    return this.orgConfigs.get(this.db, principal.orgId);
  }

  patchConfig(principal: AdminCall, patch: Partial<OrgConfig>): Promise<OrgConfig> {
    return this.db
      .transaction(async (tx) => {
        const before = await this.orgConfigs.get(tx, principal.orgId);
        const config = await this.orgConfigs.update(tx, principal.orgId, patch);
        await this.audit.record(
          tx,
          principal,
          'config.update',
          ['config', principal.orgId],
          before,
          config,
        );
        await this.settings.changed(tx, principal.orgId, patch);
        return config;
      })
      .finally(() => this.settings.invalidate(principal.orgId));
  }

  /** The org's program with this id (its default when undefined), read afresh. */
  find(orgId: number, id: number | undefined): Promise<Program | undefined> {
    return this.programs.find(this.db, orgId, id);
  }

  listPrograms(principal: Principal): Promise<Program[]> {
    return this.programs.list(this.db, principal.orgId);
  }

  async createProgram(principal: AdminCall, dto: ProgramCreate): Promise<Program> {
    return this.db
      .transaction(async (tx) => {
        if (dto.is_default) await this.programs.clearDefault(tx, principal.orgId);
        const program = await this.programs.insert(tx, principal.orgId, {
          name: dto.name,
          is_default: dto.is_default ?? false,
          min_redeem: dto.min_redeem ?? '0',
          max_redeem: dto.max_redeem ?? null,
          redeem_multiple_of: dto.redeem_multiple_of ?? null,
          decimal_places: dto.decimal_places ?? 3,
          points_currency_ratio: dto.points_currency_ratio ?? '1',
        });
        await this.audit.created(tx, principal, ['program', program.id], program);
        return program;
      })
      .finally(() => this.settings.invalidate(principal.orgId))
      .catch((err: unknown) => conflictOn(err, PROGRAM_NAME_TAKEN));
  }

  async patchProgram(principal: AdminCall, id: number, dto: ProgramPatch): Promise<Program> {
    return this.db
      .transaction(async (tx) => {
        const existing = await this.programs.find(tx, principal.orgId, id);
        if (!existing) throw new NotFoundError(`Program ${id} not found`);
        if (dto.is_default === true) await this.programs.clearDefault(tx, principal.orgId);
        if (dto.is_default === false && existing.isDefault)
          throw new InvalidRequestError('Make another program the default instead', [
            { field: 'is_default', message: 'an org always has one default program' },
          ]);
        const program = (await this.programs.update(tx, principal.orgId, id, dto))!;
        await this.audit.record(
          tx,
          principal,
          'program.update',
          ['program', id],
          existing,
          program,
        );
        return program;
      })
      .finally(() => this.settings.invalidate(principal.orgId))
      .catch((err: unknown) => {
        if (sqlState(err) === PgError.CHECK_VIOLATION)
          throw new InvalidRequestError('max_redeem must be at least min_redeem', [
            { field: 'max_redeem', message: 'must be >= min_redeem' },
          ]);
        return conflictOn(err, PROGRAM_NAME_TAKEN);
      });
  }
}
