/** The data the benchmark adds to the demo org, shared by the seeder and the load workers. */

export const ORG_CODE = 'demo';
export const CUSTOMER_MARK = 'bench';

/** Customer i (1-based) of the spread set has mobile SPREAD_MOBILE_BASE + i. */
export const SPREAD_MOBILE_BASE = 917000000000;
export const spreadMobile = (i) => String(SPREAD_MOBILE_BASE + i);
export const HOT_MOBILE = '916000000000';

export const SPREAD_POINTS = '1000000';
export const HOT_POINTS = '1000000000';

/** The seeded till: its stored hash is scrypt N=16384 (the slow hash the cache is for). */
export const DEMO_TILL = { username: 'demo.till', password: 'demo.pass' };
/** Same org and access group, but a hash with N=2, r=1, p=1: the path without the slow hash. */
export const CHEAP_TILL = { username: 'bench.cheap-hash', password: 'bench.pass' };

export const REDEEM_PATH = '/v1.1/points/redeem?skip_validation=true';

/** The seeded admin: the scale bench runs the ledger check as it. */
export const DEMO_ADMIN = { username: 'demo.admin', password: 'admin.pass' };
