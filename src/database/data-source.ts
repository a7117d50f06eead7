import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

// The TypeORM CLI's data source (`npm run migration:*`). Needs DATABASE_URL; for the
// embedded database of `npm start`, that is printed at start-up.
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL must be set to run migrations from the CLI');
}

export default new DataSource(dataSourceOptions(url));
