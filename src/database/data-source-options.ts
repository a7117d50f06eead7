import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { PG_TYPES } from './pg-types';

/** One definition of the connection, shared by the app, the CLI data source and the tests. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{js,ts}')],
    entities: [],
    logging: false,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      application_name: 'points-redemption',
      types: PG_TYPES,
    },
  };
}
