import { Injectable } from '@nestjs/common';
import { Db } from './db';

/** The migrations table TypeORM keeps: which migrations this database has applied. */
@Injectable()
export class MigrationStateRepository {
  constructor(private readonly db: Db) {}

  /** Names of the applied migrations; rejects when the database does not answer in time. */
  async appliedNames(timeoutMs: number): Promise<Set<string>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('migrations check timed out')), timeoutMs);
    });
    try {
      const rows = await Promise.race([
        this.db.query<{ name: string }>('SELECT name FROM migrations'),
        timeout,
      ]);
      return new Set(rows.map((r) => r.name));
    } finally {
      clearTimeout(timer);
    }
  }
}
