import { decimalText, eventParts, isoText } from '../../events/event.sql';

/*
 * The spend movement: a redemption takes points from a wallet's lots. Shared with the
 * benchmarks (through src/statements.ts), so that their raw client sends the same SQL.
 * Imports nothing but another such file: it is loaded without the application.
 */

/**
 * The redemption, its allocations, the lot decrements, the REDEMPTION ledger row, the wallet
 * and (when an endpoint wants it: read with the lots, REDEMPTION_SQL) its `redemption.created`
 * event, in one statement. Without a subscriber the statement has no event parts at all:
 * their tables are not even opened on the redemption path. Every write hangs off the inserted row: when the external
 * reference number is taken (the unique index decides, also against a concurrent insert
 * that commits first) nothing is written and no id comes back. Every part names org $1:
 * on a database distributed by org the whole statement runs on the org's shard.
 *
 * The allocations' LIMIT changes no result (it is their number) but is what lets the server
 * plan this statement once per connection: the planner estimates an `unnest` of a parameter
 * at 10 rows and a LIMIT it cannot read at a tenth of its input, so the generic plan is
 * costed at one allocation, as the custom plans are, and is chosen after the first five.
 * Without it every execution was planned afresh (a fifth of the server's CPU per redemption:
 * docs/performance.md). A test checks the choice (pg_prepared_statements).
 */
const spend = (reported: boolean): string => `WITH red AS (
      INSERT INTO redemption (org_id, code, wallet_id, program_id, customer_id, group_id, points,
        redeemed_value, transaction_number, external_reference_number, validation_code,
        validation_type, redemption_time, notes, purpose, custom_fields, till_id, request_id,
        created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
      ON CONFLICT (org_id, external_reference_number) WHERE external_reference_number IS NOT NULL
      DO NOTHING
      RETURNING id
    ), alloc AS (
      SELECT * FROM unnest($20::bigint[], $21::numeric[]) WITH ORDINALITY AS a(lot_id, points, seq)
       LIMIT cardinality($20::bigint[])
    ), lots AS (
      UPDATE lot SET remaining = lot.remaining - alloc.points FROM alloc, red
       WHERE lot.org_id = $1 AND lot.id = alloc.lot_id
    ), allocations AS (
      INSERT INTO redemption_allocation (org_id, redemption_id, lot_id, seq, points)
      SELECT $1, red.id, alloc.lot_id, alloc.seq, alloc.points FROM red, alloc
    ), ledger AS (
      INSERT INTO ledger_entry (org_id, wallet_id, kind, amount, balance_after, redemption_id,
                                actor_type, actor_id, request_id, created_at)
      SELECT $1, $3, 'REDEMPTION', -$7::numeric, $22, red.id, $23, $17, $18, $19 FROM red
    ), spent AS (
      UPDATE wallet SET balance = $22, redeemed = redeemed + $7::numeric, updated_at = $19
        FROM red WHERE wallet.org_id = $1 AND wallet.id = $3
    )${
      reported
        ? `, ${eventParts({
            type: 'redemption.created',
            org: '$1',
            source: 'red',
            at: '$19',
            data: `jsonb_build_object(
        'redemption_id', $2::text, 'customer_id', ($5::bigint)::text,
        'group_id', ($6::bigint)::text, 'program_id', $4::bigint,
        'points', ${decimalText('$7::numeric')}, 'value', ${decimalText('$8::numeric')},
        'balance', ${decimalText('$22::numeric')}, 'bill_number', $9::text,
        'external_reference_number', $10::text, 'redeemed_at', ${isoText('$13::timestamptz')},
        'till_id', ($17::bigint)::text)`,
          })}`
        : ''
    }
    SELECT id FROM red`;

/** The spend of a redemption no webhook endpoint wants reported. */
export const SPEND_SQL = spend(false);

/** The same, writing its `redemption.created` event and deliveries too. */
export const SPEND_REPORTED_SQL = spend(true);
