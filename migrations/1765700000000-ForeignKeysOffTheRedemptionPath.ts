import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The remaining foreign keys a redemption's writing statement checked on every row it
 * wrote: redemption → wallet and customer, allocation → redemption and lot, ledger entry →
 * wallet and redemption. Measured warm with EXPLAIN ANALYZE, their checks were over half of
 * that statement's time (each one a query of its own, FOR KEY SHARE on the parent).
 *
 * What they guaranteed, that those rows exist, is kept otherwise: every id the statement
 * writes is one it read under the wallet's lock or got back from its own INSERT, and the
 * rows they name are never deleted nor renumbered (the kept_forever statement trigger, now
 * also on customer, wallet, lot and redemption; nothing in the service deletes them). The
 * ledger check looks for a redemption whose wallet, customer or lot is missing and for a
 * ledger entry whose redemption is missing (GET /admin/ledger/verify).
 */
export class ForeignKeysOffTheRedemptionPath1765700000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TRIGGER customer_kept BEFORE DELETE OR UPDATE OF id ON customer
        FOR EACH STATEMENT EXECUTE FUNCTION kept_forever();
      CREATE TRIGGER wallet_kept BEFORE DELETE OR UPDATE OF id ON wallet
        FOR EACH STATEMENT EXECUTE FUNCTION kept_forever();
      CREATE TRIGGER lot_kept BEFORE DELETE OR UPDATE OF id ON lot
        FOR EACH STATEMENT EXECUTE FUNCTION kept_forever();
      CREATE TRIGGER redemption_kept BEFORE DELETE OR UPDATE OF id ON redemption
        FOR EACH STATEMENT EXECUTE FUNCTION kept_forever();

      ALTER TABLE redemption DROP CONSTRAINT redemption_wallet_id_fkey,
                             DROP CONSTRAINT redemption_org_id_customer_id_fkey;
      ALTER TABLE redemption_allocation DROP CONSTRAINT redemption_allocation_redemption_id_fkey,
                                        DROP CONSTRAINT redemption_allocation_lot_id_fkey;
      ALTER TABLE ledger_entry DROP CONSTRAINT ledger_entry_wallet_id_fkey,
                               DROP CONSTRAINT ledger_entry_redemption_id_fkey;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE redemption ADD CONSTRAINT redemption_wallet_id_fkey FOREIGN KEY (wallet_id) REFERENCES wallet(id),
        ADD CONSTRAINT redemption_org_id_customer_id_fkey FOREIGN KEY (org_id, customer_id) REFERENCES customer(org_id, id);
      ALTER TABLE redemption_allocation ADD CONSTRAINT redemption_allocation_redemption_id_fkey FOREIGN KEY (redemption_id) REFERENCES redemption(id),
        ADD CONSTRAINT redemption_allocation_lot_id_fkey FOREIGN KEY (lot_id) REFERENCES lot(id);
      ALTER TABLE ledger_entry ADD CONSTRAINT ledger_entry_wallet_id_fkey FOREIGN KEY (wallet_id) REFERENCES wallet(id),
        ADD CONSTRAINT ledger_entry_redemption_id_fkey FOREIGN KEY (redemption_id) REFERENCES redemption(id);
      DROP TRIGGER redemption_kept ON redemption;
      DROP TRIGGER lot_kept ON lot;
      DROP TRIGGER wallet_kept ON wallet;
      DROP TRIGGER customer_kept ON customer;
    `);
  }
}
