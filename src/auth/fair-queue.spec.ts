import { FairQueue, QueueFullError } from './fair-queue';

/** A job that finishes when told to, recording when it started. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    open: () => open(),
    work: async () => {
      log.push(name);
      await opened;
      return name;
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('FairQueue', () => {
  it('runs up to `concurrency` jobs at once, the rest when one ends', async () => {
    const q = new FairQueue(2, 10, 10);
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => gate(log, n));
    const runs = [q.run('x', a.work), q.run('x', b.work), q.run('x', c.work)];
    await tick();
    expect(log).toEqual(['a', 'b']);
    expect(q.load).toEqual({ running: 2, waiting: 1 });
    a.open();
    await tick();
    expect(log).toEqual(['a', 'b', 'c']);
    b.open();
    c.open();
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
    expect(q.load).toEqual({ running: 0, waiting: 0 });
  });

  it('serves waiting keys in turn: a flooding key cannot push another back further than one job', async () => {
    const q = new FairQueue(1, 100, 100);
    const log: string[] = [];
    const first = gate(log, 'flood-0');
    const runs = [q.run('flood', first.work)];
    const gates = [first];
    for (let i = 1; i <= 5; i++) {
      const g = gate(log, `flood-${i}`);
      gates.push(g);
      runs.push(q.run('flood', g.work));
    }
    const till = gate(log, 'till');
    gates.push(till);
    runs.push(q.run('till', till.work));
    await tick();
    for (const g of gates) g.open();
    await Promise.all(runs);
    expect(log.indexOf('till')).toBe(2);
  });

  it('refuses at once past the per-key or the total number of waiting jobs', async () => {
    const q = new FairQueue(1, 3, 2);
    const log: string[] = [];
    const running = gate(log, 'r');
    const runs = [
      q.run('a', running.work),
      q.run('a', gate(log, 'a1').work),
      q.run('a', gate(log, 'a2').work),
    ];
    await expect(q.run('a', gate(log, 'a3').work)).rejects.toBeInstanceOf(QueueFullError);
    runs.push(q.run('b', gate(log, 'b1').work));
    await expect(q.run('c', gate(log, 'c1').work)).rejects.toBeInstanceOf(QueueFullError);
    expect(q.load).toEqual({ running: 1, waiting: 3 });
    running.open();
    // Let the rest finish: every gate opens as soon as it runs.
    await tick();
    expect(log.slice(0, 2)).toEqual(['r', 'a1']);
  });

  it('a job that throws frees its place', async () => {
    const q = new FairQueue(1, 1, 1);
    await expect(q.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(q.run('a', () => Promise.resolve(7))).resolves.toBe(7);
    expect(q.load).toEqual({ running: 0, waiting: 0 });
  });
});
