import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mobile numbers in one form per org (see src/customers/mobile.ts): two org settings say how
 * a national number is written in full, and stored mobiles (customers, missed calls) are
 * rewritten in that form. A customer whose rewritten number another customer of the org
 * already has keeps its old one (an operator merges such duplicates by hand).
 */
export class MobileNumbersNormalised1765200000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE org_config
        ADD COLUMN default_country_code text NOT NULL DEFAULT '91'
          CHECK (default_country_code ~ '^[0-9]{1,4}$'),
        ADD COLUMN national_number_length integer NOT NULL DEFAULT 10
          CHECK (national_number_length BETWEEN 4 AND 14);

      CREATE FUNCTION pg_temp.normalised_mobile(raw text, cc text, len integer)
        RETURNS text LANGUAGE sql IMMUTABLE AS $$
          SELECT CASE WHEN length(d) = len THEN cc || d ELSE d END
            FROM (SELECT CASE WHEN digits LIKE '00%' THEN substr(digits, 3) ELSE digits END AS d
                    FROM (SELECT regexp_replace(raw, '[^0-9]', '', 'g') AS digits) a) b
        $$;

      -- Of customers whose numbers become the same, the oldest gets it; none takes a number
      -- another customer of the org already has.
      WITH target AS (
        SELECT c.id, c.org_id,
               pg_temp.normalised_mobile(c.mobile, oc.default_country_code, oc.national_number_length) AS m
          FROM customer c JOIN org_config oc ON oc.org_id = c.org_id
         WHERE c.mobile IS NOT NULL
      ), chosen AS (
        SELECT DISTINCT ON (t.org_id, t.m) t.id, t.m FROM target t
         WHERE t.m <> '' AND NOT EXISTS (
           SELECT 1 FROM customer o WHERE o.org_id = t.org_id AND o.mobile = t.m AND o.id <> t.id)
         ORDER BY t.org_id, t.m, t.id
      )
      UPDATE customer c SET mobile = chosen.m FROM chosen
       WHERE c.id = chosen.id AND c.mobile <> chosen.m;

      UPDATE missed_call m
         SET mobile = pg_temp.normalised_mobile(m.mobile, oc.default_country_code, oc.national_number_length)
        FROM org_config oc
       WHERE oc.org_id = m.org_id
         AND pg_temp.normalised_mobile(m.mobile, oc.default_country_code, oc.national_number_length) <> '';

      DROP FUNCTION pg_temp.normalised_mobile(text, text, integer);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE org_config DROP COLUMN default_country_code, DROP COLUMN national_number_length;
    `);
  }
}
