import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

// The TypeORM CLI's data source (`npm run migration:*`). Needs DATABASE_URL; for the
// embedded database of `npm start` it is postgres://postgres:<password>@127.0.0.1:54329/points
// with the password from ./.data/postgres.password (npm start migrates by itself anyway).
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL must be set to run migrations from the CLI');
}

export default new DataSource(dataSourceOptions(url));
