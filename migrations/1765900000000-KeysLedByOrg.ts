import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The keys of a schema distributable by org (docs/scaling.md): every table but the reference
 * tables (org, app_user, access_group) and `migrations` could be spread over nodes by org_id.
 * - org_id, every generated id and every column that holds one become bigint.
 * - Each distributed table's primary key leads with org_id, and so do its unique keys (the
 *   wallet's owner and program, an allocation's place in its redemption; group_member's key is
 *   (org_id, group_id, customer_id)). The (org_id, id) unique keys foreign keys pointed at
 *   become the primary keys themselves.
 * - The wallet's owner keys lead with the owner, (org_id, customer_id, program_id) and
 *   (org_id, group_id, program_id), so they also serve "every wallet of this customer" (or
 *   group), and wallet_customer and wallet_group go: a wallet update that cannot be HOT
 *   writes three index entries, not five.
 * - The foreign keys between such tables that named a row by its id alone (a lot's wallet, a
 *   ledger entry's lot and reversal, what refers to a redemption) name it by (org_id, id).
 * - The rows redemptions and the ledger refer to are still never deleted nor renumbered, kept
 *   so without statement triggers, which a distributed database refuses: a row trigger
 *   refuses a DELETE, and ids are generated ALWAYS, so an UPDATE may not set them. (A row
 *   trigger on UPDATE OF id would have fetched and locked every updated wallet and lot row
 *   before looking at the columns.)
 *
 * Every table that changes is rewritten once (one ALTER TABLE each, after the foreign keys
 * are dropped); the foreign keys are added back, and checked, at the end.
 */

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

const fk = (table: string, name: string, definition: string): ForeignKey => ({
  table,
  name,
  definition,
});

/** Foreign keys whose definitions do not change: dropped for the rewrite, added back. */
const UNCHANGED: ForeignKey[] = [
  fk(
    'access_group',
    'access_group_org_id_fkey',
    'FOREIGN KEY (org_id) REFERENCES org(id) ON DELETE CASCADE',
  ),
  fk(
    'app_user',
    'app_user_org_id_fkey',
    'FOREIGN KEY (org_id) REFERENCES org(id) ON DELETE CASCADE',
  ),
  fk(
    'app_user',
    'app_user_org_id_access_group_id_fkey',
    'FOREIGN KEY (org_id, access_group_id) REFERENCES access_group(org_id, id)',
  ),
  fk('audit_log', 'audit_log_org_id_fkey', 'FOREIGN KEY (org_id) REFERENCES org(id)'),
  fk('audit_log', 'audit_log_actor_id_fkey', 'FOREIGN KEY (actor_id) REFERENCES app_user(id)'),
  fk(
    'custom_field',
    'custom_field_org_id_fkey',
    'FOREIGN KEY (org_id) REFERENCES org(id) ON DELETE CASCADE',
  ),
  fk(
    'customer',
    'customer_org_id_fkey',
    'FOREIGN KEY (org_id) REFERENCES org(id) ON DELETE CASCADE',
  ),
  fk(
    'customer_group',
    'customer_group_org_id_fkey',
    'FOREIGN KEY (org_id) REFERENCES org(id) ON DELETE CASCADE',
  ),
  fk(
    'customer_group',
    'customer_group_org_id_primary_customer_id_fkey',
    'FOREIGN KEY (org_id, primary_customer_id) REFERENCES customer(org_id, id)',
  ),
  fk(
    'group_member',
    'group_member_org_id_customer_id_fkey',
    'FOREIGN KEY (org_id, customer_id) REFERENCES customer(org_id, id)',
  ),
  fk(
    'group_member',
    'group_member_org_id_group_id_fkey',
    'FOREIGN KEY (org_id, group_id) REFERENCES customer_group(org_id, id) ON DELETE CASCADE',
  ),
  fk('idempotency_key', 'idempotency_key_org_id_fkey', 'FOREIGN KEY (org_id) REFERENCES org(id)'),
  fk('missed_call', 'missed_call_org_id_fkey', 'FOREIGN KEY (org_id) REFERENCES org(id)'),
  fk('notification', 'notification_org_id_fkey', 'FOREIGN KEY (org_id) REFERENCES org(id)'),
  fk(
    'notification',
    'notification_org_id_customer_id_fkey',
    'FOREIGN KEY (org_id, customer_id) REFERENCES customer(org_id, id)',
  ),
  fk(
    'org_config',
    'org_config_org_id_fkey',
    'FOREIGN KEY (org_id) REFERENCES org(id) ON DELETE CASCADE',
  ),
  fk('program', 'program_org_id_fkey', 'FOREIGN KEY (org_id) REFERENCES org(id) ON DELETE CASCADE'),
  fk(
    'redemption',
    'redemption_org_id_group_id_fkey',
    'FOREIGN KEY (org_id, group_id) REFERENCES customer_group(org_id, id)',
  ),
  fk('refusal_tally', 'refusal_tally_org_id_fkey', 'FOREIGN KEY (org_id) REFERENCES org(id)'),
  fk('reversal', 'reversal_org_id_fkey', 'FOREIGN KEY (org_id) REFERENCES org(id)'),
  fk('reversal', 'reversal_till_id_fkey', 'FOREIGN KEY (till_id) REFERENCES app_user(id)'),
  fk(
    'validation_code',
    'validation_code_org_id_customer_id_fkey',
    'FOREIGN KEY (org_id, customer_id) REFERENCES customer(org_id, id)',
  ),
  fk(
    'validation_code',
    'validation_code_org_id_program_id_fkey',
    'FOREIGN KEY (org_id, program_id) REFERENCES program(org_id, id)',
  ),
  fk(
    'wallet',
    'wallet_org_id_customer_id_fkey',
    'FOREIGN KEY (org_id, customer_id) REFERENCES customer(org_id, id)',
  ),
  fk(
    'wallet',
    'wallet_org_id_group_id_fkey',
    'FOREIGN KEY (org_id, group_id) REFERENCES customer_group(org_id, id)',
  ),
  fk(
    'wallet',
    'wallet_org_id_program_id_fkey',
    'FOREIGN KEY (org_id, program_id) REFERENCES program(org_id, id)',
  ),
];

/** Foreign keys that named a row of a distributed table by its id alone. */
const BY_ID: ForeignKey[] = [
  fk('ledger_entry', 'ledger_entry_lot_id_fkey', 'FOREIGN KEY (lot_id) REFERENCES lot(id)'),
  fk(
    'ledger_entry',
    'ledger_entry_reversal_id_fkey',
    'FOREIGN KEY (reversal_id) REFERENCES reversal(id)',
  ),
  fk('lot', 'lot_wallet_id_fkey', 'FOREIGN KEY (wallet_id) REFERENCES wallet(id)'),
  fk(
    'missed_call',
    'missed_call_redemption_id_fkey',
    'FOREIGN KEY (redemption_id) REFERENCES redemption(id)',
  ),
  fk(
    'reversal',
    'reversal_redemption_id_fkey',
    'FOREIGN KEY (redemption_id) REFERENCES redemption(id)',
  ),
  fk(
    'validation_code',
    'validation_code_redemption_id_fkey',
    'FOREIGN KEY (redemption_id) REFERENCES redemption(id)',
  ),
];

/** The same, naming the row by (org_id, id). */
const BY_ORG_AND_ID: ForeignKey[] = [
  fk(
    'ledger_entry',
    'ledger_entry_org_id_lot_id_fkey',
    'FOREIGN KEY (org_id, lot_id) REFERENCES lot(org_id, id)',
  ),
  fk(
    'ledger_entry',
    'ledger_entry_org_id_reversal_id_fkey',
    'FOREIGN KEY (org_id, reversal_id) REFERENCES reversal(org_id, id)',
  ),
  fk(
    'lot',
    'lot_org_id_wallet_id_fkey',
    'FOREIGN KEY (org_id, wallet_id) REFERENCES wallet(org_id, id)',
  ),
  fk(
    'missed_call',
    'missed_call_org_id_redemption_id_fkey',
    'FOREIGN KEY (org_id, redemption_id) REFERENCES redemption(org_id, id)',
  ),
  fk(
    'reversal',
    'reversal_org_id_redemption_id_fkey',
    'FOREIGN KEY (org_id, redemption_id) REFERENCES redemption(org_id, id)',
  ),
  fk(
    'validation_code',
    'validation_code_org_id_redemption_id_fkey',
    'FOREIGN KEY (org_id, redemption_id) REFERENCES redemption(org_id, id)',
  ),
];

/** The integer columns that hold an org's or a row's id, by table. */
const ID_COLUMNS: Record<string, string[]> = {
  org: ['id'],
  access_group: ['id', 'org_id'],
  app_user: ['id', 'org_id', 'access_group_id'],
  audit_log: ['org_id', 'actor_id'],
  custom_field: ['id', 'org_id'],
  customer: ['id', 'org_id'],
  customer_group: ['id', 'org_id', 'primary_customer_id'],
  group_member: ['org_id', 'group_id', 'customer_id'],
  idempotency_key: ['org_id'],
  ledger_entry: ['org_id', 'actor_id'],
  lot: ['org_id'],
  missed_call: ['org_id'],
  notification: ['org_id', 'customer_id'],
  org_config: ['org_id'],
  program: ['id', 'org_id'],
  redemption: ['org_id', 'program_id', 'customer_id', 'group_id', 'till_id'],
  redemption_allocation: ['org_id'],
  refusal_tally: ['org_id', 'program_id'],
  reversal: ['org_id', 'till_id'],
  validation_code: ['org_id', 'customer_id', 'program_id'],
  wallet: ['org_id', 'program_id', 'customer_id', 'group_id'],
};

/** Each distributed table's key constraints before this migration and after it. */
const KEYS: Record<string, { before: string[]; after: string[] }> = {};
const pk = (table: string, columns: string) => `CONSTRAINT ${table}_pkey PRIMARY KEY (${columns})`;
for (const table of [
  'audit_log',
  'custom_field',
  'ledger_entry',
  'lot',
  'missed_call',
  'notification',
  'redemption',
  'reversal',
  'validation_code',
]) {
  KEYS[table] = { before: [pk(table, 'id')], after: [pk(table, 'org_id, id')] };
}
// The (org_id, id) unique keys foreign keys pointed at: the primary key is that now.
for (const table of ['customer', 'customer_group', 'program']) {
  KEYS[table] = {
    before: [pk(table, 'id'), `CONSTRAINT ${table}_org_id_id_key UNIQUE (org_id, id)`],
    after: [pk(table, 'org_id, id')],
  };
}
KEYS.group_member = {
  before: [pk('group_member', 'group_id, customer_id')],
  after: [pk('group_member', 'org_id, group_id, customer_id')],
};
KEYS.wallet = {
  before: [
    pk('wallet', 'id'),
    'CONSTRAINT wallet_program_id_customer_id_key UNIQUE (program_id, customer_id)',
    'CONSTRAINT wallet_program_id_group_id_key UNIQUE (program_id, group_id)',
  ],
  after: [
    pk('wallet', 'org_id, id'),
    'CONSTRAINT wallet_org_id_customer_id_program_id_key UNIQUE (org_id, customer_id, program_id)',
    'CONSTRAINT wallet_org_id_group_id_program_id_key UNIQUE (org_id, group_id, program_id)',
  ],
};
KEYS.redemption_allocation = {
  before: [
    pk('redemption_allocation', 'id'),
    'CONSTRAINT redemption_allocation_redemption_id_seq_key UNIQUE (redemption_id, seq)',
  ],
  after: [
    pk('redemption_allocation', 'org_id, id'),
    'CONSTRAINT redemption_allocation_org_id_redemption_id_seq_key UNIQUE (org_id, redemption_id, seq)',
  ],
};

/** The rows redemptions and the ledger refer to: never deleted, never renumbered. */
const KEPT = ['org', 'program', 'app_user', 'customer', 'wallet', 'lot', 'redemption'];

/** One ALTER TABLE per table (one rewrite): the keys `from` dropped, ids retyped, `to` added. */
function reshape(table: string, type: 'bigint' | 'integer', from: string[], to: string[]): string {
  const clauses = [
    ...from.map((constraint) => `DROP ${constraint.split(' ').slice(0, 2).join(' ')}`),
    ...(ID_COLUMNS[table] ?? []).map((column) => `ALTER COLUMN ${column} TYPE ${type}`),
    ...to.map((constraint) => `ADD ${constraint}`),
  ];
  return `ALTER TABLE ${table} ${clauses.join(', ')}`;
}

const TABLES = [...new Set([...Object.keys(ID_COLUMNS), ...Object.keys(KEYS)])];

export class KeysLedByOrg1765900000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    for (const key of [...UNCHANGED, ...BY_ID]) {
      await q.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${key.name}`);
    }
    for (const table of KEPT) {
      await q.query(`DROP TRIGGER ${table}_kept ON ${table}`);
    }
    await q.query(`DROP INDEX wallet_customer, wallet_group`);
    for (const table of TABLES) {
      const keys = KEYS[table] ?? { before: [], after: [] };
      await q.query(reshape(table, 'bigint', keys.before, keys.after));
    }
    for (const table of KEPT) {
      await q.query(`ALTER TABLE ${table} ALTER COLUMN id SET GENERATED ALWAYS`);
      await q.query(
        `CREATE TRIGGER ${table}_kept BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION kept_forever()`,
      );
    }
    for (const key of [...UNCHANGED, ...BY_ORG_AND_ID]) {
      await q.query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${key.name} ${key.definition}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const key of [...UNCHANGED, ...BY_ORG_AND_ID]) {
      await q.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${key.name}`);
    }
    for (const table of KEPT) {
      await q.query(`DROP TRIGGER ${table}_kept ON ${table}`);
      await q.query(`ALTER TABLE ${table} ALTER COLUMN id SET GENERATED BY DEFAULT`);
    }
    for (const table of TABLES) {
      const keys = KEYS[table] ?? { before: [], after: [] };
      await q.query(reshape(table, 'integer', keys.after, keys.before));
    }
    await q.query(`CREATE INDEX wallet_customer ON wallet (customer_id)`);
    await q.query(`CREATE INDEX wallet_group ON wallet (group_id)`);
    for (const table of KEPT) {
      await q.query(
        `CREATE TRIGGER ${table}_kept BEFORE DELETE OR UPDATE OF id ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION kept_forever()`,
      );
    }
    for (const key of [...UNCHANGED, ...BY_ID]) {
      await q.query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${key.name} ${key.definition}`);
    }
  }
}
