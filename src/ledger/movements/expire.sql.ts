import { decimalText, eventParts, isoText } from '../../events/event.sql';
import { spendOrder } from '../ledger.sql';

/*
 * The expire movement: lapsed lots are written off. One statement for both halves of
 * expiry, the lazy one (a request that locked a wallet with lapsed lots) and the sweeper's.
 * Imports nothing but another such file: it is loaded without the application.
 */

/**
 * Writes off every lot of the (locked) wallets $2 of org $1 lapsed by $3, set-based: an
 * EXPIRY ledger row per lot in spending order with its running balance, lots emptied,
 * wallets reduced ($4-$6: the actor), a `points.expired` event per wallet. Returns per wallet
 * the points and lots written off.
 * Read in a statement after the locks were granted, so it sees the wallets as their last
 * holder left them. Every part names org $1: on a database distributed by org the whole
 * statement runs on the org's shard.
 */
export const EXPIRE_SQL = `WITH lapsed AS (
         SELECT l.id, l.wallet_id, l.remaining AS amount,
                w.balance - sum(l.remaining) OVER spend AS balance_after,
                row_number() OVER spend AS seq
           FROM lot l JOIN wallet w ON w.org_id = l.org_id AND w.id = l.wallet_id
          WHERE l.org_id = $1 AND l.wallet_id = ANY($2::bigint[]) AND l.is_open
            AND l.expires_at IS NOT NULL AND l.expires_at <= $3
         WINDOW spend AS (PARTITION BY l.wallet_id ORDER BY ${spendOrder('l.')})
       ), emptied AS (
         UPDATE lot SET remaining = 0, expired_at = $3 FROM lapsed
          WHERE lot.org_id = $1 AND lot.id = lapsed.id
       ), ledger AS (
         INSERT INTO ledger_entry (org_id, wallet_id, lot_id, kind, amount, balance_after, actor_type, actor_id, request_id)
         SELECT $1, wallet_id, id, 'EXPIRY', -amount, balance_after, $4, $5, $6 FROM lapsed
          ORDER BY wallet_id, seq
       ), totals AS (
         SELECT wallet_id, sum(amount) AS total, count(*)::int AS lots FROM lapsed GROUP BY wallet_id
       ), reduced AS (
         UPDATE wallet SET balance = balance - t.total, expired = expired + t.total, updated_at = $3
           FROM totals t WHERE wallet.org_id = $1 AND wallet.id = t.wallet_id
         RETURNING wallet.customer_id, wallet.group_id, wallet.program_id, wallet.balance, t.total
       ), ${eventParts({
         type: 'points.expired',
         org: '$1',
         source: 'reduced',
         at: '$3',
         data: `jsonb_build_object(
           'customer_id', reduced.customer_id::text, 'group_id', reduced.group_id::text,
           'program_id', reduced.program_id, 'points', ${decimalText('reduced.total')},
           'balance', ${decimalText('reduced.balance')}, 'expired_at', ${isoText('$3::timestamptz')})`,
       })}
       SELECT wallet_id, total, lots FROM totals`;
