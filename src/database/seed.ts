import { hashPassword } from '../auth/password';
import { Decimal } from '../common/decimal';
import { WalletRepository } from '../wallets/wallet.repository';
import { Sql } from './db';

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

/**
 * The demo data of the contract (section 9). Idempotent: running it again changes nothing;
 * it creates only what is missing. Run it inside one transaction.
 */
export async function seedDemo(tx: Sql): Promise<{ created: boolean }> {
  let created = false;
  for (const org of ORGS) {
    const [existing] = await tx.query<{ id: number }>('SELECT id FROM org WHERE code = $1', [
      org.code,
    ]);
    if (existing) continue;
    created = true;
    const [{ id: orgId }] = await tx.query<{ id: number }>(
      'INSERT INTO org (code, name) VALUES ($1, $2) RETURNING id',
      [org.code, org.name],
    );
    await tx.query(
      'INSERT INTO org_config (org_id, otp_validity_minutes, demo_mode) VALUES ($1, 15, $2)',
      [orgId, org.demoMode],
    );
    const [{ id: programId }] = await tx.query<{ id: number }>(
      `INSERT INTO program (org_id, name, is_default, min_redeem, max_redeem, redeem_multiple_of,
                            decimal_places, points_currency_ratio)
       VALUES ($1, 'Default', true, 1, NULL, 1, 3, 1) RETURNING id`,
      [orgId],
    );
    const groups = new Map<string, number>();
    for (const g of ACCESS_GROUPS) {
      const [{ id }] = await tx.query<{ id: number }>(
        `INSERT INTO access_group (org_id, name, points_level, customer_level, admin_level)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [orgId, g.name, g.points, g.customer, g.admin],
      );
      groups.set(g.name, id);
    }
    for (const u of org.users) {
      await tx.query(
        `INSERT INTO app_user (org_id, username, password_hash, access_group_id) VALUES ($1, $2, $3, $4)`,
        [orgId, u.username, await hashPassword(u.password), groups.get(u.group)],
      );
    }
    if (org.customer) {
      const [{ id: customerId }] = await tx.query<{ id: number }>(
        `INSERT INTO customer (org_id, mobile, firstname) VALUES ($1, $2, $3) RETURNING id`,
        [orgId, org.customer.mobile, org.customer.firstname],
      );
      const wallets = new WalletRepository();
      const wallet = await wallets.lockOrCreate(tx, orgId, programId, { customerId });
      await wallets.credit(tx, wallet, Decimal.of(org.customer.points), new Date(), null, 'seed', {
        type: 'system',
        id: null,
        requestId: 'seed',
      });
    }
  }
  return { created };
}
