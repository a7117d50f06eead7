/*
 * The one module of the service the benchmarks load from the build (dist/src/statements.js):
 * the statement texts a redemption and the jobs send, and the pipeline that sends several in
 * one round trip, so that the raw-Postgres client and the EXPLAIN checks send exactly what
 * the service sends. Everything here imports nothing of the application (no Nest, no pool).
 */
export { CUSTOMER_SQL, CUSTOMER_WHERE } from './customers/customer.sql';
export { CUSTOMER_READS_SQL } from './customers/customer-reads.sql';
export { TRANSACTION_SQL } from './database/database.sql';
export { pipeline } from './database/pipeline';
export { LEDGER_CHECK_SQL } from './ledger/ledger-check.sql';
export { OPEN_LOTS_ORDER, WALLET_SQL } from './ledger/ledger.sql';
export { EXPIRE_SQL } from './ledger/movements/expire.sql';
export { SPEND_SQL } from './ledger/movements/spend.sql';
export { REDEMPTION_SQL } from './redemptions/redemption.sql';
