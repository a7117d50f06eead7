import { passwordVerifiers } from '../auth/password';
import { UserRepository } from '../auth/user.repository';
import { Decimal } from '../common/decimal';
import { CustomerRepository } from '../customers/customer.repository';
import { OrgRepository } from '../orgs/org.repository';
import { OrgConfigRepository } from '../programs/org-config.repository';
import { ProgramRepository } from '../programs/program.repository';
import { LedgerRepository } from '../ledger/ledger.repository';
import { LedgerService } from '../ledger/ledger.service';
import { Sql } from '../database/db';

interface OrgSeed {
  code: string;
  name: string;
  /** Outbox texts readable to admins: the demo org only, to try the flow without a gateway. */
  demoMode: boolean;
  users: { username: string; password: string; group: string }[];
  customer?: { mobile: string; firstname: string; points: string };
}

const ACCESS_GROUPS = [
  { name: 'Default', points: 'write', customer: 'read', admin: 'none' },
  { name: 'Read only', points: 'read', customer: 'read', admin: 'none' },
  { name: 'Admin', points: 'write', customer: 'write', admin: 'write' },
] as const;

const ORGS: OrgSeed[] = [
  {
    code: 'demo',
    name: 'Demo',
    demoMode: true,
    users: [
      { username: 'demo.till', password: 'demo.pass', group: 'Default' },
      { username: 'readonly.till', password: 'readonly.pass', group: 'Read only' },
      { username: 'demo.admin', password: 'admin.pass', group: 'Admin' },
    ],
    customer: { mobile: '919900000001', firstname: 'Demo', points: '1000' },
  },
  {
    code: 'other',
    name: 'Other',
    demoMode: false,
    users: [
      { username: 'other.till', password: 'other.pass', group: 'Default' },
      { username: 'other.admin', password: 'other.admin.pass', group: 'Admin' },
    ],
    customer: { mobile: '919900000002', firstname: 'Other', points: '500' },
  },
];

/** What the seed writes through: the same statements the features use (points: the ledger). */
export function seedRepositories() {
  return {
    orgs: new OrgRepository(),
    configs: new OrgConfigRepository(),
    programs: new ProgramRepository(),
    users: new UserRepository(),
    customers: new CustomerRepository(),
    ledger: new LedgerService(new LedgerRepository()),
  };
}

/**
 * The demo data of the contract (section 9). Idempotent: running it again changes nothing;
 * it creates only what is missing. Run it inside one transaction.
 */
export async function seedDemo(tx: Sql, repos = seedRepositories()): Promise<{ created: boolean }> {
  let created = false;
  for (const org of ORGS) {
    if ((await repos.orgs.findByCode(tx, org.code)) !== undefined) continue;
    created = true;
    const orgId = await repos.orgs.insert(tx, org.code, org.name);
    await repos.configs.insert(tx, orgId, { otp_validity_minutes: 15, demo_mode: org.demoMode });
    const program = await repos.programs.insert(tx, orgId, {
      name: 'Default',
      is_default: true,
      min_redeem: '1',
      max_redeem: null,
      redeem_multiple_of: '1',
      decimal_places: 3,
      points_currency_ratio: '1',
    });
    const groups = new Map<string, number>();
    for (const g of ACCESS_GROUPS)
      groups.set(g.name, await repos.users.insertAccessGroup(tx, orgId, g));
    for (const u of org.users) {
      await repos.users.insertUser(tx, orgId, {
        username: u.username,
        verifiers: await passwordVerifiers(u.password),
        accessGroupId: groups.get(u.group)!,
      });
    }
    if (org.customer) {
      const customer = await repos.customers.insert(tx, orgId, {
        mobile: org.customer.mobile,
        firstname: org.customer.firstname,
      });
      const now = new Date();
      const target = { orgId, programId: program.id, owner: { customerId: customer.id } };
      const seeding = { now, actor: { type: 'system' as const, id: null, requestId: 'seed' } };
      await repos.ledger.withLockedWallet(tx, { ...target, create: true }, seeding, (wallet) =>
        wallet.credit({
          points: Decimal.of(org.customer!.points),
          earnedAt: now,
          expiresAt: null,
          note: 'seed',
        }),
      );
    }
  }
  return { created };
}
