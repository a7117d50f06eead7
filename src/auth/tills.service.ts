import { Injectable } from '@nestjs/common';
import { AdminCall, AuditLog } from '../audit/audit.service';
import { InvalidRequestError, NotFoundError } from '../common/errors';
import { Db } from '../database/db';
import { conflictOn } from '../database/pg-errors';
import { OrgsService } from '../orgs/orgs.service';
import { AuthService } from './auth.service';
import { passwordVerifiers } from './password';
import { Principal } from './principal';
import { AccessGroupRow, TillRow, UserRepository } from './user.repository';

export interface TillCreate {
  username: string;
  password: string;
  /** The access group's id or name. */
  access_group: number | string;
}

export interface TillPatch {
  active?: boolean;
  access_group?: number | string;
  /** A new password (plain text): new verifiers of every accepted form. */
  password?: string;
}

/** A new till as the admin API shows it (its row; a new till is active). */
export type TillCreated = TillRow;

/** Tills and admins (the org's users) and their access groups, as operators manage them. */
@Injectable()
export class TillsService {
  constructor(
    private readonly db: Db,
    private readonly users: UserRepository,
    private readonly auth: AuthService,
    private readonly orgs: OrgsService,
    private readonly audit: AuditLog,
  ) {}

  listAccessGroups(principal: Principal): Promise<AccessGroupRow[]> {
    return this.users.listAccessGroups(this.db, principal.orgId);
  }

  listTills(principal: Principal): Promise<TillRow[]> {
    return this.users.listTills(this.db, principal.orgId);
  }

  async createTill(principal: AdminCall, dto: TillCreate): Promise<TillCreated> {
    const group = await this.users.findAccessGroup(this.db, principal.orgId, dto.access_group);
    if (!group) throw new NotFoundError(`Access group ${String(dto.access_group)} not found`);
    // Usernames are global (Basic auth names no org), so a name taken elsewhere would tell an
    // admin that another org has it. A new name starts with the org's code instead: a clash
    // can then only be with the org's own users, whom its admins see anyway.
    const prefix = `${await this.orgs.codeOf(principal.orgId)}.`;
    if (!dto.username.startsWith(prefix) || dto.username.length === prefix.length)
      throw new InvalidRequestError(`A new username starts with "${prefix}"`, [
        { field: 'username', message: `must start with "${prefix}" (the org's code and a dot)` },
      ]);
    const verifiers = await passwordVerifiers(dto.password);
    return this.db
      .transaction(async (tx) => {
        const row = await this.users.insertUser(tx, principal.orgId, {
          username: dto.username,
          verifiers,
          accessGroupId: group.id,
        });
        const till: TillCreated = {
          id: row.id,
          username: dto.username,
          access_group: group.name,
          active: true,
          created_at: row.created_at,
        };
        // The password never reaches the log, not even as its verifiers.
        await this.audit.created(tx, principal, ['till', row.id], till);
        return till;
      })
      .catch((err: unknown) => conflictOn(err, { app_user_username_key: 'Username is taken' }));
  }

  /** Deactivates or reactivates a till (or admin), or moves it to another access group. */
  async patchTill(principal: AdminCall, id: number, dto: TillPatch): Promise<TillRow> {
    const orgId = principal.orgId;
    const group =
      dto.access_group === undefined
        ? undefined
        : await this.users.findAccessGroup(this.db, orgId, dto.access_group);
    if (dto.access_group !== undefined && !group)
      throw new NotFoundError(`Access group ${String(dto.access_group)} not found`);
    if (id === principal.userId && (dto.active === false || group?.admin === 'none'))
      throw new InvalidRequestError('You cannot lock yourself out', [
        {
          field: dto.active === false ? 'active' : 'access_group',
          message: 'not for your own account',
        },
      ]);
    const verifiers =
      dto.password === undefined ? undefined : await passwordVerifiers(dto.password);
    const till = await this.db.transaction(async (tx) => {
      const before = await this.users.findTill(tx, orgId, id);
      if (!before) throw new NotFoundError(`Till ${id} not found`);
      const change = { active: dto.active, accessGroupId: group?.id, verifiers };
      await this.users.updateTill(tx, orgId, id, change);
      const after = (await this.users.findTill(tx, orgId, id))!;
      // The entry says that the password changed, never what to.
      const logged = verifiers ? { ...after, password: 'changed' } : after;
      await this.audit.record(tx, principal, 'till.update', ['till', id], before, logged);
      return after;
    });
    // Its sign-ins cached on this instance end now; on others within AUTH_CACHE_TTL_MS.
    this.auth.forgetCachedCredentials(id);
    return till;
  }

  /**
   * An admin changes its own password. The current one is checked as a sign-in is, from
   * `address`: a wrong one is refused and counts against the address's sign-in budget.
   */
  async changeOwnPassword(
    call: AdminCall,
    change: { current_password: string; new_password: string },
    address: string,
  ): Promise<void> {
    const me = await this.auth.authenticate(
      { username: call.username, secret: change.current_password },
      address,
    );
    if (!me || me.userId !== call.userId)
      throw new InvalidRequestError('The current password is wrong', [
        { field: 'current_password', message: 'is not your current password' },
      ]);
    const verifiers = await passwordVerifiers(change.new_password);
    await this.db.transaction(async (tx) => {
      await this.users.updateTill(tx, call.orgId, call.userId, { verifiers });
      const after = { id: call.userId, username: call.username, password: 'changed' };
      await this.audit.record(tx, call, 'till.password_change', ['till', call.userId], null, after);
    });
    this.auth.forgetCachedCredentials(call.userId);
  }
}
