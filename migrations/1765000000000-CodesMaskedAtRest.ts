import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Validation codes stop being kept in clear once handed to the delivery channel: the
 * outbox's `text` is what an admin may see (the code masked) and `clear_text` the message
 * to deliver, emptied once it is sent, unless the org is in demo mode (a new setting, off
 * for every org; the seed turns it on for its demo org).
 */
export class CodesMaskedAtRest1765000000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE org_config ADD COLUMN demo_mode boolean NOT NULL DEFAULT false;
      ALTER TABLE notification ADD COLUMN clear_text text;
      -- Only messages still to be sent keep a deliverable copy (10: the sender's last try).
      UPDATE notification SET clear_text = text WHERE sent_at IS NULL AND attempts < 10;
      UPDATE notification
         SET text = regexp_replace(text, '(validation code is )[A-Za-z0-9]+', '\\1******');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE notification SET text = clear_text WHERE clear_text IS NOT NULL;
      ALTER TABLE notification DROP COLUMN clear_text;
      ALTER TABLE org_config DROP COLUMN demo_mode;
    `);
  }
}
