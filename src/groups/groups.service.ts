import { Injectable } from '@nestjs/common';
import { AdminCall, AuditLog } from '../audit/audit.service';
import { Principal } from '../auth/principal';
import { NotFoundError } from '../common/errors';
import { parseId } from '../common/ids';
import { CustomersService } from '../customers/customers.service';
import { identifierFromTypeValue } from '../customers/identifier';
import { Db, Sql } from '../database/db';
import { conflictOn } from '../database/pg-errors';
import { Group, GroupRepository, GroupSelector, GroupWithMembers } from './group.repository';

export interface GroupCreate {
  external_id: string;
  primary_customer_id: number;
  member_ids?: number[];
  redemption_enabled?: boolean;
}

export interface GroupPatch {
  redemption_enabled?: boolean;
}

/** Customer groups (shared wallets), as operators manage them. */
@Injectable()
export class GroupsService {
  constructor(
    private readonly db: Db,
    private readonly groups: GroupRepository,
    private readonly customers: CustomersService,
    private readonly audit: AuditLog,
  ) {}

  /** Whether the org has this group. */
  exists(orgId: number, id: number): Promise<boolean> {
    return this.groups.exists(this.db, orgId, id);
  }

  /** The group that Capillary's user_group2_* parameters name, in their order of precedence. */
  async resolve(orgId: number, selector: GroupSelector): Promise<Group | undefined> {
    if (Object.values(selector).some((v) => typeof v === 'string' && v.includes('\u0000')))
      return undefined;
    if (selector.id !== undefined) {
      const id = parseId(selector.id);
      return id === undefined ? undefined : this.groups.findBy(this.db, orgId, { id });
    }
    if (selector.externalId !== undefined)
      return this.groups.findBy(this.db, orgId, { externalId: selector.externalId });
    let primaryCustomerId: number | undefined;
    if (selector.primaryUserId !== undefined) {
      primaryCustomerId = parseId(selector.primaryUserId);
    } else {
      const identifier = identifierFromTypeValue(
        selector.primaryIdentifierType,
        selector.primaryIdentifierValue,
      );
      primaryCustomerId = identifier
        ? (await this.customers.findByIdentifier(orgId, identifier))?.id
        : undefined;
    }
    return primaryCustomerId === undefined
      ? undefined
      : this.groups.findBy(this.db, orgId, { primaryCustomerId });
  }

  /** The groups a customer belongs to, at most two. */
  groupsOf(orgId: number, customerId: number): Promise<Group[]> {
    return this.groups.groupsOf(this.db, orgId, customerId);
  }

  isMember(orgId: number, group: Group, customerId: number): Promise<boolean> {
    return this.groups.isMember(this.db, orgId, group, customerId);
  }

  private async customerOr404(sql: Sql, orgId: number, id: number): Promise<void> {
    if (!(await this.customers.findById(orgId, id, sql)))
      throw new NotFoundError(`Customer ${id} not found`);
  }

  async createGroup(principal: AdminCall, dto: GroupCreate): Promise<GroupWithMembers> {
    const orgId = principal.orgId;
    return this.db
      .transaction(async (tx) => {
        await this.customerOr404(tx, orgId, dto.primary_customer_id);
        const id = await this.groups.insert(tx, orgId, {
          externalId: dto.external_id,
          primaryCustomerId: dto.primary_customer_id,
          redemptionEnabled: dto.redemption_enabled ?? true,
        });
        const members = [...new Set([dto.primary_customer_id, ...(dto.member_ids ?? [])])];
        for (const m of members) {
          await this.customerOr404(tx, orgId, m);
          await this.groups.addMember(tx, orgId, id, m);
        }
        const group = await this.groupOr404(tx, orgId, id);
        await this.audit.created(tx, principal, ['group', id], group);
        return group;
      })
      .catch((err: unknown) =>
        conflictOn(err, {
          customer_group_org_id_external_id_key: 'A group with this external_id exists',
        }),
      );
  }

  async patchGroup(principal: AdminCall, id: number, dto: GroupPatch) {
    return this.db.transaction(async (tx) => {
      const before = await this.groupOr404(tx, principal.orgId, id);
      if (dto.redemption_enabled !== undefined) {
        await this.groups.setRedemptionEnabled(tx, principal.orgId, id, dto.redemption_enabled);
      }
      const after = await this.groupOr404(tx, principal.orgId, id);
      await this.audit.record(tx, principal, 'group.update', ['group', id], before, after);
      return after;
    });
  }

  async addGroupMember(principal: AdminCall, groupId: number, customerId: number) {
    const orgId = principal.orgId;
    return this.db.transaction(async (tx) => {
      const before = await this.groupOr404(tx, orgId, groupId);
      await this.customerOr404(tx, orgId, customerId);
      await this.groups.addMember(tx, orgId, groupId, customerId);
      const after = await this.groupOr404(tx, orgId, groupId);
      await this.audit.record(tx, principal, 'group.member_add', ['group', groupId], before, after);
      return after;
    });
  }

  listGroups(principal: Principal): Promise<GroupWithMembers[]> {
    return this.groups.listWithMembers(this.db, principal.orgId, 100);
  }

  getGroup(principal: Principal, id: number): Promise<GroupWithMembers> {
    return this.groupOr404(this.db, principal.orgId, id);
  }

  private async groupOr404(sql: Sql, orgId: number, id: number): Promise<GroupWithMembers> {
    const group = await this.groups.findWithMembers(sql, orgId, id);
    if (!group) throw new NotFoundError(`Group ${id} not found`);
    return group;
  }
}
