import { decimalText, eventParts, isoText } from '../../events/event.sql';

/*
 * The credit movement: points earned become a new lot. Imports nothing but another such
 * file: it is loaded without the application.
 */

/**
 * A lot of $3 points in wallet $2 of org $1 (earned $4, lapsing $5, note $6), its CREDIT
 * ledger row, the wallet's new balance $7 and its `points.credited` event, in one statement;
 * returns the lot's id.
 */
export const CREDIT_SQL = `WITH new_lot AS (
       INSERT INTO lot (org_id, wallet_id, amount, remaining, earned_at, expires_at, note)
       VALUES ($1, $2, $3, $3, $4, $5, $6) RETURNING id
     ), ledger AS (
       INSERT INTO ledger_entry (org_id, wallet_id, lot_id, kind, amount, balance_after, actor_type, actor_id, request_id)
       SELECT $1, $2, id, 'CREDIT', $3, $7, $8, $9, $10 FROM new_lot
     ), w AS (
       UPDATE wallet SET balance = $7, lifetime_points = lifetime_points + $3, updated_at = $4
        WHERE wallet.org_id = $1 AND wallet.id = $2
       RETURNING customer_id, group_id, program_id
     ), ${eventParts({
       type: 'points.credited',
       org: '$1',
       source: 'new_lot, w',
       at: 'now()',
       data: `jsonb_build_object(
         'customer_id', w.customer_id::text, 'group_id', w.group_id::text,
         'program_id', w.program_id, 'lot_id', new_lot.id::text,
         'points', ${decimalText('$3::numeric')}, 'balance', ${decimalText('$7::numeric')},
         'earned_at', ${isoText('$4::timestamptz')},
         'expires_at', ${isoText('$5::timestamptz')}, 'note', $6::text)`,
     })}
     SELECT id FROM new_lot`;
