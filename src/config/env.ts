import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^(true|false)$/i.test(value.trim())
    ? value.trim().toLowerCase() === 'true'
    : value;
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  value === '' ? undefined : value;

/**
 * Every environment variable the service reads. Validated once at boot; a bad value stops
 * start-up with a message that names the variable.
 */
export class Env {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  /** Address to listen on. Loopback unless a deployment says otherwise (the image: 0.0.0.0). */
  @IsString()
  @Matches(/^[\w.:-]{1,255}$/, { message: 'HOST must be an address or host name' })
  HOST: string = '127.0.0.1';

  /**
   * Which proxies' X-Forwarded-For to believe for the client address: `false` (none), a hop
   * count, or a comma-separated list of addresses/subnets (`loopback`, `10.0.0.0/8`, …).
   */
  @IsString()
  @Matches(/^(false|true|\d{1,2}|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/, {
    message: 'TRUST_PROXY must be false, true, a hop count or a comma-separated list of subnets',
  })
  TRUST_PROXY: string = 'false';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600000)
  LOCK_TIMEOUT_MS: number = 5000;

  /**
   * Longest any statement of a transaction may run, lock waits included: the backstop where
   * lock_timeout does not reach (a distributed database takes row locks on its workers, which
   * do not get the coordinator's session settings: docs/scaling.md). Past it the item gets
   * 521, as for a lock wait. Set above LOCK_TIMEOUT_MS, so that where lock_timeout reaches,
   * a lock wait ends by it; 0 turns it off.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600000)
  STATEMENT_TIMEOUT_MS: number = 30000;

  /** Prefix of the rate-limit keys in Redis, so deployments can share one Redis. */
  @IsString()
  @Matches(/^[\w:.-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 of [A-Za-z0-9_:.-]' })
  REDIS_KEY_PREFIX: string = 'points:';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE: number = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  MAX_BATCH: number = 20;

  /**
   * Per client address and minute: failed sign-ins plus sign-ins being verified. Past it,
   * 429 before any password is checked.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_FAILURES_PER_MINUTE: number = 30;

  /** Password verifications that may wait for a hashing thread at once (past it: 503). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  AUTH_QUEUE_LIMIT: number = 64;

  /** Of those, how many one client address may hold. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  AUTH_QUEUE_PER_ADDRESS: number = 4;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /**
   * `auto`: human-readable lines when standard output is a terminal, JSON lines otherwise
   * (pipes, containers, files); `pretty` or `json` whatever it is.
   */
  @IsIn(LOG_FORMATS)
  LOG_FORMAT: LogFormat = 'auto';

  /** How long a verified credential stays cached in memory; 0 turns the cache off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  AUTH_CACHE_TTL_MS: number = 60000;

  /** How long an org's configuration and programs stay cached in memory; 0 reads them each time. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600000)
  SETTINGS_CACHE_TTL_MS: number = 5000;

  /** How long an in-flight Idempotency-Key is held before a retry may take it over. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  IDEMPOTENCY_LEASE_MS: number = 30000;

  /** How long a repeat waits for the first request with its key before answering 409. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  IDEMPOTENCY_WAIT_MS: number = 2000;

  @Transform(toInt)
  @IsInt()
  @Min(24)
  IDEMPOTENCY_TTL_HOURS: number = 48;

  /** Period of the sweeper that writes EXPIRY ledger entries for lapsed lots; 0 turns it off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  EXPIRY_SWEEP_INTERVAL_MS: number = 60000;

  /** How often the notification outbox is drained; 0 turns the sender off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  NOTIFICATION_POLL_MS: number = 1000;

  /**
   * At least 2: at start one connection holds the migration lock while another runs the
   * migrations (with 1 the start waited for itself until the pool's connect timeout).
   */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(500)
  DB_POOL_SIZE: number = 10;

  @IsString()
  @Matches(/^\d+(kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 1mb' })
  BODY_LIMIT: string = '100kb';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT: number = 54329;

  @IsString()
  EMBEDDED_PG_DIR: string = './.data/postgres';

  /** Key for the HMAC that stores validation codes; generated under ./.data when unset. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^.{32,}$/, { message: 'OTP_SECRET must be at least 32 characters' })
  OTP_SECRET?: string;

  /** Seed demo data on start: auto (only an empty embedded database), always, never. */
  @IsIn(['auto', 'always', 'never'])
  SEED_ON_START: 'auto' | 'always' | 'never' = 'auto';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_TIMEOUT_MS: number = 10000;

  /** Prometheus metrics at /metrics, and the per-request duration histogram behind them. */
  @Transform(toBool)
  @IsBoolean()
  METRICS_ENABLED: boolean = true;

  /** When set, /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^.{16,}$/, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /**
   * Key the secrets kept at rest are sealed under (webhook signing secrets); generated under
   * ./.data when unset. Losing it loses those secrets: rotate them.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^.{32,}$/, { message: 'SECRETS_KEY must be at least 32 characters' })
  SECRETS_KEY?: string;

  /** Webhook URLs may name loopback, private and link-local addresses (tests, private networks). */
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE: boolean = false;

  /** Delays of a delivery's attempts, in seconds from the one before; the last failed, it fails. */
  @IsString()
  @Matches(/^\d+(,\d+)*$/, { message: 'WEBHOOK_BACKOFF_SECONDS must be a comma list of seconds' })
  WEBHOOK_BACKOFF_SECONDS: string = '0,5,300,1800,7200,18000,36000,36000';

  /** After a rotation, the old secret signs beside the new one for this long. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(720)
  WEBHOOK_ROTATION_OVERLAP_HOURS: number = 24;

  /** How often due deliveries are looked for; 0 turns the sender off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  WEBHOOK_POLL_MS: number = 500;

  /** An attempt that has no 2xx within this long has failed. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  WEBHOOK_TIMEOUT_MS: number = 15000;

  /** Attempts in flight at once per endpoint (per instance). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  WEBHOOK_CONCURRENCY_PER_ENDPOINT: number = 4;
}

export class EnvError extends Error {}

export function validateEnv(raw: Record<string, unknown>): Env {
  const known = Object.keys(new Env());
  const picked: Record<string, unknown> = {};
  const optional = ['DATABASE_URL', 'REDIS_URL', 'OTP_SECRET', 'METRICS_TOKEN', 'SECRETS_KEY'];
  for (const key of [...known, ...optional]) {
    if (raw[key] !== undefined) picked[key] = raw[key];
  }
  const env = plainToInstance(Env, picked, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const why = Object.values(e.constraints ?? {}).join('; ');
      return `${e.property}=${JSON.stringify(picked[e.property])}: ${why}`;
    });
    throw new EnvError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return env;
}
