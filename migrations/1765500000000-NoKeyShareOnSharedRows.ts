import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every redemption wrote a redemption row and a ledger row whose foreign keys pointed at
 * rows all redemptions of an org share: the org, the program and the till. Each check took
 * FOR KEY SHARE on that one row, so concurrent redemptions kept turning its lock into a
 * multixact (bench/anatomy.mjs measures what that cost). Those keys go; what they
 * guaranteed, that a redemption's or ledger row's org, program and till exist, is kept by
 * never deleting those rows: a statement trigger refuses any DELETE on org, program and
 * app_user (tills are deactivated, not deleted) and any change of their id. The keys to a
 * redemption's own rows (wallet, customer, lots, the redemption itself) stay.
 */
export class NoKeyShareOnSharedRows1765500000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION kept_forever() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are never deleted nor renumbered: redemptions and ledger entries refer to them', TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END $$;
      CREATE TRIGGER org_kept BEFORE DELETE OR UPDATE OF id ON org
        FOR EACH STATEMENT EXECUTE FUNCTION kept_forever();
      CREATE TRIGGER program_kept BEFORE DELETE OR UPDATE OF id ON program
        FOR EACH STATEMENT EXECUTE FUNCTION kept_forever();
      CREATE TRIGGER app_user_kept BEFORE DELETE OR UPDATE OF id ON app_user
        FOR EACH STATEMENT EXECUTE FUNCTION kept_forever();

      ALTER TABLE redemption DROP CONSTRAINT redemption_org_id_fkey,
                             DROP CONSTRAINT redemption_org_id_program_id_fkey,
                             DROP CONSTRAINT redemption_till_id_fkey;
      ALTER TABLE ledger_entry DROP CONSTRAINT ledger_entry_org_id_fkey,
                               DROP CONSTRAINT ledger_entry_actor_id_fkey;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE redemption ADD CONSTRAINT redemption_org_id_fkey FOREIGN KEY (org_id) REFERENCES org(id),
        ADD CONSTRAINT redemption_org_id_program_id_fkey FOREIGN KEY (org_id, program_id) REFERENCES program(org_id, id),
        ADD CONSTRAINT redemption_till_id_fkey FOREIGN KEY (till_id) REFERENCES app_user(id);
      ALTER TABLE ledger_entry ADD CONSTRAINT ledger_entry_org_id_fkey FOREIGN KEY (org_id) REFERENCES org(id),
        ADD CONSTRAINT ledger_entry_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES app_user(id);
      DROP TRIGGER app_user_kept ON app_user;
      DROP TRIGGER program_kept ON program;
      DROP TRIGGER org_kept ON org;
      DROP FUNCTION kept_forever();
    `);
  }
}
