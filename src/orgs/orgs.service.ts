import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { OrgRepository } from './org.repository';

/** The orgs, as the jobs that work one org at a time walk them. */
@Injectable()
export class OrgsService {
  constructor(
    private readonly db: Db,
    private readonly orgs: OrgRepository,
  ) {}

  /** Every org's id. */
  ids(): Promise<number[]> {
    return this.orgs.ids(this.db);
  }
}
