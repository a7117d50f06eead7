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

  /** The org's code (what its new usernames start with). */
  async codeOf(orgId: number): Promise<string> {
    const code = await this.orgs.codeOf(this.db, orgId);
    if (code === undefined) throw new Error(`org ${orgId} does not exist`);
    return code;
  }

  /** Every org's id. */
  ids(): Promise<number[]> {
    return this.orgs.ids(this.db);
  }
}
