import { passwordVerifiers } from '../auth/password';
import { Decimal } from '../common/decimal';
import { CustomerRepository } from '../customers/customer.repository';
import { LedgerRepository } from '../ledger/ledger.repository';
import { LedgerService } from '../ledger/ledger.service';
import { AccessGroupName, orgSetupRepositories, setUpOrg } from '../orgs/org-setup';
import { Sql } from '../database/db';

interface OrgSeed {
  code: string;
  name: string;
  /** Outbox texts readable to admins: the demo org only, to try the flow without a gateway. */
  demoMode: boolean;
  users: { username: string; password: string; group: AccessGroupName }[];
  customer?: { mobile: string; firstname: string; points: string };
}

const SEEDED_GROUPS: AccessGroupName[] = ['Default', 'Read only', 'Admin'];

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

/** A user's name and password, as a person signs in with them. */
export interface SignIn {
  username: string;
  password: string;
}

/**
 * The demo org's admin and till with their passwords, for the start to print when it has
 * just seeded them. They are public (README, "Seed credentials"); no other password is
 * ever printed.
 */
export function demoSignIns(): { admin: SignIn; till: SignIn } {
  const users = ORGS[0].users;
  const find = (username: string): SignIn => {
    const { password } = users.find((u) => u.username === username)!;
    return { username, password };
  };
  return { admin: find('demo.admin'), till: find('demo.till') };
}

/** What the seed writes through: the same statements the features use (points: the ledger). */
export function seedRepositories() {
  return {
    ...orgSetupRepositories(),
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
    const users = [];
    for (const u of org.users) {
      users.push({
        username: u.username,
        group: u.group,
        verifiers: await passwordVerifiers(u.password),
      });
    }
    const { orgId, programId } = await setUpOrg(
      tx,
      {
        code: org.code,
        name: org.name,
        demoMode: org.demoMode,
        accessGroups: SEEDED_GROUPS,
        users,
      },
      repos,
    );
    if (org.customer) {
      const customer = await repos.customers.insert(tx, orgId, {
        mobile: org.customer.mobile,
        firstname: org.customer.firstname,
      });
      const now = new Date();
      const target = { orgId, programId, owner: { customerId: customer.id } };
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
