import { decimalText, eventParts } from '../../events/event.sql';

/*
 * The refill movement: a reversal gives a redemption's points back to the lots they came
 * from. Imports nothing but another such file: it is loaded without the application.
 */

/**
 * The reversal row, the allocations marked, the live lots refilled with a REVERSAL ledger
 * row each (their running balances $14), the redemption's reversed total, the wallet and its
 * `redemption.reversed` event, in one statement; returns the reversal's id. Parts whose lot lapsed since the redemption
 * ($10/$11 without a matching $12) are marked reversed but refill nothing. Every part names
 * org $1.
 */
export const REFILL_SQL = `WITH rev AS (
       INSERT INTO reversal (org_id, code, redemption_id, points_requested, points_restored,
                             points_expired, till_id, request_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
     ), parts AS (
       SELECT * FROM unnest($10::bigint[], $11::numeric[]) AS p(allocation_id, amount)
     ), refills AS (
       SELECT * FROM unnest($12::bigint[], $13::numeric[], $14::numeric[]) AS f(lot_id, amount, balance_after)
     ), allocations AS (
       UPDATE redemption_allocation a SET reversed = a.reversed + parts.amount
         FROM parts WHERE a.org_id = $1 AND a.id = parts.allocation_id
     ), lots AS (
       UPDATE lot SET remaining = lot.remaining + refills.amount FROM refills
        WHERE lot.org_id = $1 AND lot.id = refills.lot_id
     ), ledger AS (
       INSERT INTO ledger_entry (org_id, wallet_id, lot_id, kind, amount, balance_after,
                                 redemption_id, reversal_id, actor_type, actor_id, request_id, created_at)
       SELECT $1, $15, lot_id, 'REVERSAL', amount, balance_after, $3, rev.id, $16, $7, $8, $9
         FROM refills, rev
     ), reversed AS (
       UPDATE redemption SET reversed_points = reversed_points + $4::numeric
        WHERE redemption.org_id = $1 AND redemption.id = $3
       RETURNING code, customer_id, group_id, program_id
     ), refilled AS (
       UPDATE wallet SET balance = balance + $5::numeric, returned = returned + $5::numeric, updated_at = $9
        WHERE wallet.org_id = $1 AND wallet.id = $15
       RETURNING balance
     ), ${eventParts({
       type: 'redemption.reversed',
       org: '$1',
       source: 'rev, reversed, refilled',
       at: '$9',
       data: `jsonb_build_object(
         'redemption_id', reversed.code, 'reversal_id', $2::text,
         'customer_id', reversed.customer_id::text, 'group_id', reversed.group_id::text,
         'program_id', reversed.program_id, 'points', ${decimalText('$4::numeric')},
         'points_restored', ${decimalText('$5::numeric')},
         'points_expired', ${decimalText('$6::numeric')},
         'balance', ${decimalText('refilled.balance')})`,
     })}
     SELECT id FROM rev`;
