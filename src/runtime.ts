import { availableParallelism } from 'node:os';

/*
 * Process settings that must be in place before anything uses libuv's thread pool, so
 * main.ts imports this first.
 *
 * Password hashes are checked with scrypt on the thread pool, 16 MB of scratch memory each.
 * The C library keeps what a thread freed in that thread's own malloc arena, so each pool
 * thread that ever verified a password holds on to 16 MB. More threads than cores make
 * scrypt no faster, so the pool gets one thread per core (at most libuv's default of 4)
 * unless UV_THREADPOOL_SIZE is set.
 */
if (!process.env.UV_THREADPOOL_SIZE) {
  process.env.UV_THREADPOOL_SIZE = String(Math.min(4, Math.max(2, availableParallelism())));
}
