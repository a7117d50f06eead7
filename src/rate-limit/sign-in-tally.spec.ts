import { MemorySignInTally } from './sign-in-tally';

describe('MemorySignInTally', () => {
  const MIN = 60_000;
  let tally: MemorySignInTally;
  beforeEach(() => (tally = new MemorySignInTally()));
  afterEach(() => tally.stop());

  it('a success gives its place back; a failure keeps it', () => {
    expect(tally.take('ip', MIN, 2, 0).allowed).toBe(true);
    tally.settle('ip', false, MIN, 1);
    expect(tally.take('ip', MIN, 2, 2).allowed).toBe(true);
    expect(tally.settle('ip', true, MIN, 3)).toEqual({ failures: 1, resetMs: MIN - 3 });
    expect(tally.take('ip', MIN, 2, 4).allowed).toBe(true);
    tally.settle('ip', true, MIN, 5);
    expect(tally.take('ip', MIN, 2, 6)).toEqual({ allowed: false, failures: 2, resetMs: MIN - 6 });
  });

  it('verifications in progress count until they end', () => {
    expect(tally.take('ip', MIN, 2, 0).allowed).toBe(true);
    expect(tally.take('ip', MIN, 2, 0).allowed).toBe(true);
    expect(tally.take('ip', MIN, 2, 0)).toEqual({ allowed: false, failures: 0, resetMs: MIN });
    tally.settle('ip', false, MIN, 1);
    expect(tally.take('ip', MIN, 2, 1).allowed).toBe(true);
  });

  it('a new window starts from zero; addresses are apart', () => {
    tally.take('ip', MIN, 1, 0);
    tally.settle('ip', true, MIN, 0);
    expect(tally.take('ip', MIN, 1, 1).allowed).toBe(false);
    expect(tally.take('other', MIN, 1, 1).allowed).toBe(true);
    expect(tally.take('ip', MIN, 1, MIN).allowed).toBe(true);
  });

  it('a failure settled after its window ended still counts, in a new window', () => {
    tally.take('ip', MIN, 5, 0);
    expect(tally.settle('ip', true, MIN, MIN + 1)).toEqual({ failures: 1, resetMs: MIN });
  });
});
