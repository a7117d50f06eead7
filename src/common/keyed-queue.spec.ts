import { KeyedQueue, QueueTimeoutError } from './keyed-queue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyedQueue', () => {
  it('runs work with the same key one at a time, in arrival order', async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    let running = 0;
    let most = 0;
    await Promise.all(
      [30, 5, 15, 1].map((ms, i) =>
        queue.run('wallet', 1000, async () => {
          most = Math.max(most, ++running);
          events.push(`start ${i}`);
          await sleep(ms);
          events.push(`end ${i}`);
          running--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(events).toEqual([
      'start 0',
      'end 0',
      'start 1',
      'end 1',
      'start 2',
      'end 2',
      'start 3',
      'end 3',
    ]);
    expect(queue.size).toBe(0);
  });

  it('different keys do not wait for each other', async () => {
    const queue = new KeyedQueue();
    let release!: () => void;
    const blocker = queue.run('a', 1000, () => new Promise<void>((r) => (release = r)));
    const other = await queue.run('b', 1000, () => Promise.resolve('b ran'));
    expect(other).toBe('b ran');
    release();
    await blocker;
  });

  it('a wait past waitMs fails without letting later runs overtake earlier ones', async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    let release!: () => void;
    const first = queue.run('k', 1000, async () => {
      await new Promise<void>((r) => (release = r));
      order.push('first');
    });
    const impatient = queue.run('k', 20, async () => order.push('impatient'));
    const patient = queue.run('k', 1000, async () => order.push('patient'));
    await expect(impatient).rejects.toBeInstanceOf(QueueTimeoutError);
    await sleep(20);
    expect(order).toEqual([]); // the patient run still waits for the first
    release();
    await Promise.all([first, patient]);
    expect(order).toEqual(['first', 'patient']);
    expect(queue.size).toBe(0);
  });

  it('a run that throws hands over to the next', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('k', 1000, () => Promise.reject(new Error('boom')));
    const next = queue.run('k', 1000, () => Promise.resolve('next ran'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next ran');
  });

  it('tells the work how long it waited', async () => {
    const queue = new KeyedQueue();
    const first = queue.run('k', 1000, () => sleep(30));
    const waited = await queue.run('k', 1000, (ms) => Promise.resolve(ms));
    await first;
    expect(waited).toBeGreaterThanOrEqual(25);
  });
});
