// As root, embedded PostgreSQL runs as the `postgres` user, which must reach its binaries in
// node_modules and its data folder even when the checkout sits in a private (mktemp) folder.
// Same rule as makeTraversable in src/database/embedded-postgres.ts: add o+x, nothing more.
import { chmod, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, parse } from 'node:path';

export async function reachableByPostgres(paths) {
  if (process.getuid?.() !== 0) return;
  for (const path of paths) {
    for (let dir = path; dir !== parse(path).root; dir = dirname(dir)) {
      const { mode } = await stat(dir);
      if ((mode & 0o001) === 0) await chmod(dir, mode | 0o001);
    }
  }
}

export function embeddedBinaries() {
  const require = createRequire(import.meta.url);
  // The platform package's entry is dist/index.js; its binaries sit beside dist/.
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return dirname(dirname(entry));
}
