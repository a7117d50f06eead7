import { ConfigService } from '@nestjs/config';
import { performance } from 'node:perf_hooks';
import { Decimal } from '../common/decimal';
import { Env } from '../config/env';
import { Db } from '../database/db';
import { OrgConfig, OrgConfigRepository } from './org-config.repository';
import { OrgSettings } from './org-settings';
import { Program, ProgramRepository } from './program.repository';

const baseConfig = { otp_length: 6 } as OrgConfig;
const program = (id: number, minRedeem = '0'): Program => ({
  id,
  orgId: 1,
  name: `p${id}`,
  isDefault: id === 1,
  minRedeem: Decimal.of(minRedeem),
  maxRedeem: null,
  redeemMultipleOf: null,
  decimalPlaces: 3,
  pointsCurrencyRatio: Decimal.of('1'),
});

/** Repositories that count their reads and answer from mutable "tables". */
function setup(ttlMs: number) {
  const tables = { config: { ...baseConfig }, programs: new Map([[1, program(1)]]) };
  const reads = { config: 0, program: 0 };
  const gates: (() => void)[] = [];
  let gated = false;
  const gate = () => (gated ? new Promise<void>((r) => gates.push(r)) : Promise.resolve());
  const orgConfigs = {
    get: async () => {
      reads.config++;
      const snapshot = { ...tables.config };
      await gate();
      return snapshot;
    },
  } as unknown as OrgConfigRepository;
  const programs: Pick<ProgramRepository, 'find'> = {
    find: async (_db: Db, _org: number, id: number | undefined) => {
      reads.program++;
      if (id === 666) throw new Error('connection lost');
      const found = tables.programs.get(id ?? 1);
      await gate();
      return found;
    },
  };
  const config = {
    get: () => ttlMs,
  } as unknown as ConfigService<Env, true>;
  const settings = new OrgSettings({} as Db, orgConfigs, programs as ProgramRepository, config);
  const release = () => gates.splice(0).forEach((r) => r());
  return { settings, tables, reads, hold: (on: boolean) => (gated = on), release };
}

describe('OrgSettings', () => {
  let clock = 0;
  beforeEach(() => {
    clock = 1000;
    jest.spyOn(performance, 'now').mockImplementation(() => clock);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads once within the TTL, again after it', async () => {
    const { settings, reads, tables } = setup(5000);
    expect(await settings.config(1)).toEqual(baseConfig);
    tables.config.otp_length = 8;
    clock += 4999;
    expect((await settings.config(1)).otp_length).toBe(6);
    expect(reads.config).toBe(1);
    clock += 1;
    expect((await settings.config(1)).otp_length).toBe(8);
    expect(reads.config).toBe(2);
  });

  it('concurrent misses share one read', async () => {
    const { settings, reads } = setup(5000);
    const all = await Promise.all(Array.from({ length: 10 }, () => settings.program(1, 1)));
    expect(reads.program).toBe(1);
    expect(all.every((p) => p?.id === 1)).toBe(true);
  });

  it('invalidate makes the next read go to the database', async () => {
    const { settings, reads, tables } = setup(5000);
    await settings.program(1, undefined);
    tables.programs.set(1, program(1, '10'));
    settings.invalidate(1);
    expect((await settings.program(1, undefined))?.minRedeem.toString()).toBe('10');
    expect(reads.program).toBe(2);
  });

  it('a read that started before an invalidation is not kept', async () => {
    const { settings, reads, tables, hold, release } = setup(5000);
    hold(true);
    const stale = settings.config(1); // reads the old row, then waits
    tables.config.otp_length = 8; // the change commits…
    settings.invalidate(1); // …and is announced while the old read is in flight
    hold(false);
    release();
    expect((await stale).otp_length).toBe(6);
    expect((await settings.config(1)).otp_length).toBe(8);
    expect(reads.config).toBe(2);
  });

  it('unknown programs and failed reads are not kept', async () => {
    const { settings, reads } = setup(5000);
    expect(await settings.program(1, 99)).toBeUndefined();
    expect(await settings.program(1, 99)).toBeUndefined();
    expect(reads.program).toBe(2);
    await expect(settings.program(1, 666)).rejects.toThrow('connection lost');
    await expect(settings.program(1, 666)).rejects.toThrow('connection lost');
    expect(reads.program).toBe(4);
  });

  it('orgs are cached and invalidated separately', async () => {
    const { settings, reads } = setup(5000);
    await settings.config(1);
    await settings.config(2);
    settings.invalidate(2);
    await settings.config(1);
    await settings.config(2);
    expect(reads.config).toBe(3);
  });

  it('a TTL of 0 reads every time', async () => {
    const { settings, reads } = setup(0);
    await settings.config(1);
    await settings.config(1);
    expect(reads.config).toBe(2);
  });
});
