import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A second slow verifier per user, for clients that send the SHA-256 hex of the password as
 * the Basic secret. Users created before have none (it cannot be derived from the stored
 * verifier): they do not accept that form until the till is created again with a password.
 */
export class Sha256Verifiers1765100000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN password_hash_sha256 text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN password_hash_sha256`);
  }
}
