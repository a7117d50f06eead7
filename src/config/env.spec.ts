import { EnvError, validateEnv } from './env';

describe('validateEnv', () => {
  it('applies the defaults of an empty environment', () => {
    const env = validateEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      LOCK_TIMEOUT_MS: 5000,
      STATEMENT_TIMEOUT_MS: 30000,
      RATE_LIMIT_PER_MINUTE: 1000,
      MAX_BATCH: 20,
      LOG_LEVEL: 'info',
      SEED_ON_START: 'auto',
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('parses numbers and keeps URLs', () => {
    const env = validateEnv({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/points',
      REDIS_URL: 'redis://cache:6379',
      MAX_BATCH: '5',
    });
    expect(env.PORT).toBe(8080);
    expect(env.MAX_BATCH).toBe(5);
    expect(env.DATABASE_URL).toBe('postgres://u:p@db:5432/points');
  });

  it('treats empty strings as unset for optional URLs', () => {
    expect(validateEnv({ DATABASE_URL: '', REDIS_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'http://x'],
    ['LOCK_TIMEOUT_MS', '0'],
    ['STATEMENT_TIMEOUT_MS', '-1'],
    ['STATEMENT_TIMEOUT_MS', '1.5'],
    ['MAX_BATCH', '1.5'],
    ['LOG_LEVEL', 'loud'],
    ['SEED_ON_START', 'sometimes'],
    ['OTP_SECRET', 'short'],
    ['BODY_LIMIT', 'lots'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => validateEnv({ [name]: value })).toThrow(EnvError);
    expect(() => validateEnv({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });

  it('takes a statement timeout, or none', () => {
    expect(validateEnv({ STATEMENT_TIMEOUT_MS: '60000' }).STATEMENT_TIMEOUT_MS).toBe(60000);
    expect(validateEnv({ STATEMENT_TIMEOUT_MS: '0' }).STATEMENT_TIMEOUT_MS).toBe(0);
  });
});
