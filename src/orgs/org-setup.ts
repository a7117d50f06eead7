import { SecretForm } from '../auth/password';
import { Level } from '../auth/principal';
import { UserRepository } from '../auth/user.repository';
import { Sql } from '../database/db';
import { OrgConfigRepository } from '../programs/org-config.repository';
import { ProgramFields, ProgramRepository } from '../programs/program.repository';
import { OrgRepository } from './org.repository';

/** The access groups of the contract (section 4), by name. */
export const ACCESS_GROUPS = {
  Default: { points: 'write', customer: 'read', admin: 'none' },
  'Read only': { points: 'read', customer: 'read', admin: 'none' },
  Admin: { points: 'write', customer: 'write', admin: 'write' },
} as const satisfies Record<string, { points: Level; customer: Level; admin: Level }>;

export type AccessGroupName = keyof typeof ACCESS_GROUPS;

/** A new org's first program: ratio 1, whole points (minimum 1, in steps of 1), no maximum. */
export const DEFAULT_PROGRAM: ProgramFields = {
  name: 'Default',
  is_default: true,
  min_redeem: '1',
  max_redeem: null,
  redeem_multiple_of: '1',
  decimal_places: 3,
  points_currency_ratio: '1',
};

/** What a new org's config sets; the schema's defaults stand for everything else. */
const NEW_ORG_CONFIG = { otp_validity_minutes: 15 } as const;

export interface OrgSetup {
  code: string;
  name: string;
  /** Outbox texts readable to admins: for trying the flow without a gateway, never in production. */
  demoMode: boolean;
  accessGroups: readonly AccessGroupName[];
  /** Verifiers are derived before the transaction opens, so no lock waits on a slow hash. */
  users: { username: string; verifiers: Record<SecretForm, string>; group: AccessGroupName }[];
}

/** The repositories a new org is written through (the same statements the features use). */
export function orgSetupRepositories() {
  return {
    orgs: new OrgRepository(),
    configs: new OrgConfigRepository(),
    programs: new ProgramRepository(),
    users: new UserRepository(),
  };
}

/**
 * Writes a new org with its config, its default program, its access groups and its first
 * users, on `tx` (the caller's transaction: a failure part-way leaves nothing). Shared by
 * the demo seed and `npm run org:create`, so an operator's org starts as the demo's does,
 * less the demo's data. A taken code or username throws the unique violation
 * (`org_code_key`, `app_user_username_key`).
 */
export async function setUpOrg(
  tx: Sql,
  setup: OrgSetup,
  repos = orgSetupRepositories(),
): Promise<{ orgId: number; programId: number }> {
  const orgId = await repos.orgs.insert(tx, setup.code, setup.name);
  await repos.configs.insert(tx, orgId, { ...NEW_ORG_CONFIG, demo_mode: setup.demoMode });
  const program = await repos.programs.insert(tx, orgId, DEFAULT_PROGRAM);
  const groups = new Map<string, number>();
  for (const name of setup.accessGroups) {
    groups.set(
      name,
      await repos.users.insertAccessGroup(tx, orgId, { name, ...ACCESS_GROUPS[name] }),
    );
  }
  for (const u of setup.users) {
    const accessGroupId = groups.get(u.group);
    if (accessGroupId === undefined) throw new Error(`${u.username}: no access group ${u.group}`);
    await repos.users.insertUser(tx, orgId, {
      username: u.username,
      verifiers: u.verifiers,
      accessGroupId,
    });
  }
  return { orgId, programId: program.id };
}
