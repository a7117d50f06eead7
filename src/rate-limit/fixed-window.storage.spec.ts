import { FixedWindowStorage } from './fixed-window.storage';

describe('FixedWindowStorage', () => {
  const MIN = 60_000;
  let storage: FixedWindowStorage;
  beforeEach(() => (storage = new FixedWindowStorage()));
  afterEach(() => storage.stop());

  it('counts hits in a window and blocks the one past the limit', () => {
    const results = Array.from({ length: 4 }, (_, i) =>
      storage.increment('till:a', MIN, 3, MIN, 'default', 1000 + i),
    );
    expect(results.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(results[0].timeToExpire).toBe(60);
    expect(results[3].timeToBlockExpire).toBe(60);
  });

  it('stays blocked for the block duration, even into the next window', () => {
    for (let i = 0; i < 3; i++) storage.increment('k', 1000, 2, 5000, 'default', 0);
    expect(storage.increment('k', 1000, 2, 5000, 'default', 1500)).toMatchObject({
      totalHits: 1,
      isBlocked: true,
      timeToBlockExpire: 4,
    });
    expect(storage.increment('k', 1000, 2, 5000, 'default', 5000)).toMatchObject({
      totalHits: 1,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  });

  it('a new window starts from zero once the old one ends', () => {
    storage.increment('k', 1000, 5, 1000, 'default', 0);
    storage.increment('k', 1000, 5, 1000, 'default', 999);
    expect(storage.increment('k', 1000, 5, 1000, 'default', 1000).totalHits).toBe(1);
  });

  it('keys and throttler names are counted separately', () => {
    storage.increment('a', MIN, 1, MIN, 'default', 0);
    expect(storage.increment('b', MIN, 1, MIN, 'default', 0).isBlocked).toBe(false);
    expect(storage.increment('a', MIN, 1, MIN, 'other', 0).isBlocked).toBe(false);
    expect(storage.increment('a', MIN, 1, MIN, 'default', 0).isBlocked).toBe(true);
  });

  it('the sweep drops ended windows and keeps live ones and active blocks', () => {
    storage.increment('ended', 1000, 5, 1000, 'default', 0);
    storage.increment('live', 10_000, 5, 1000, 'default', 0);
    storage.increment('blocked', 1000, 0, 20_000, 'default', 0);
    storage.sweep(5000);
    expect(storage.size).toBe(2);
    storage.sweep(30_000);
    expect(storage.size).toBe(0);
  });

  it('costs the same per hit however many hits the window holds', () => {
    // The timestamp-per-hit storage would hold 200k entries here; this holds one window.
    for (let i = 0; i < 200_000; i++) storage.increment('k', MIN, 1e9, MIN, 'default', i % 1000);
    expect(storage.size).toBe(1);
    expect(storage.increment('k', MIN, 1e9, MIN, 'default', 1000).totalHits).toBe(200_001);
  });
});
