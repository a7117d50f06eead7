import { Injectable } from '@nestjs/common';
import { Sql } from '../database/db';
import { SecretForm } from './password';
import { Level } from './principal';

/** A till or admin as sign-in needs it: its stored verifier and its access group's grants. */
export interface UserCredentialRow {
  id: number;
  org_id: number;
  username: string;
  password_hash: string;
  /** The SHA-256 form's verifier; null for users whose password was set before it existed. */
  password_hash_sha256: string | null;
  points_level: Level;
  customer_level: Level;
  admin_level: Level;
}

export interface AccessGroupRow {
  id: number;
  name: string;
  points: Level;
  customer: Level;
  admin: Level;
}

export interface TillRow {
  id: number;
  username: string;
  access_group: string;
  active: boolean;
  created_at: Date;
}

/** Tills and admins (`app_user`) and the access groups that grant them permissions. */
@Injectable()
export class UserRepository {
  /** An active user by username (usernames are unique across orgs: Basic auth has no org). */
  async findActive(sql: Sql, username: string): Promise<UserCredentialRow | undefined> {
    const [row] = await sql.query<UserCredentialRow>(
      `SELECT u.id, u.org_id, u.username, u.password_hash, u.password_hash_sha256,
              g.points_level, g.customer_level, g.admin_level
         FROM app_user u JOIN access_group g ON g.id = u.access_group_id
        WHERE u.username = $1 AND u.active`,
      [username],
    );
    return row;
  }

  async listAccessGroups(sql: Sql, orgId: number): Promise<AccessGroupRow[]> {
    return sql.query<AccessGroupRow>(
      `SELECT id, name, points_level AS points, customer_level AS customer, admin_level AS admin
         FROM access_group WHERE org_id = $1 ORDER BY id`,
      [orgId],
    );
  }

  /** The org's access group with this id (a number) or name (a string). */
  async findAccessGroup(
    sql: Sql,
    orgId: number,
    idOrName: number | string,
  ): Promise<{ id: number; name: string; admin: Level } | undefined> {
    const byId = typeof idOrName === 'number';
    const [row] = await sql.query<{ id: number; name: string; admin: Level }>(
      `SELECT id, name, admin_level AS admin FROM access_group WHERE org_id = $1 AND ${byId ? 'id = $2::bigint' : 'name = $2'}`,
      [orgId, String(idOrName)],
    );
    return row;
  }

  async insertAccessGroup(
    sql: Sql,
    orgId: number,
    g: { name: string; points: Level; customer: Level; admin: Level },
  ): Promise<number> {
    const [{ id }] = await sql.query<{ id: number }>(
      `INSERT INTO access_group (org_id, name, points_level, customer_level, admin_level)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [orgId, g.name, g.points, g.customer, g.admin],
    );
    return id;
  }

  async listTills(sql: Sql, orgId: number): Promise<TillRow[]> {
    return sql.query<TillRow>(
      `SELECT u.id, u.username, g.name AS access_group, u.active, u.created_at
         FROM app_user u JOIN access_group g ON g.id = u.access_group_id
        WHERE u.org_id = $1 ORDER BY u.id`,
      [orgId],
    );
  }

  /** Throws the unique violation `app_user_username_key` when the username is taken. */
  async insertUser(
    sql: Sql,
    orgId: number,
    u: {
      username: string;
      verifiers: { md5: string; sha256: string };
      accessGroupId: number;
    },
  ): Promise<{ id: number; created_at: Date }> {
    const [row] = await sql.query<{ id: number; created_at: Date }>(
      `INSERT INTO app_user (org_id, username, password_hash, password_hash_sha256, access_group_id)
       VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
      [orgId, u.username, u.verifiers.md5, u.verifiers.sha256, u.accessGroupId],
    );
    return row;
  }

  async findTill(sql: Sql, orgId: number, id: number): Promise<TillRow | undefined> {
    const [row] = await sql.query<TillRow>(
      `SELECT u.id, u.username, g.name AS access_group, u.active, u.created_at
         FROM app_user u JOIN access_group g ON g.id = u.access_group_id
        WHERE u.org_id = $1 AND u.id = $2`,
      [orgId, id],
    );
    return row;
  }

  async updateTill(
    sql: Sql,
    orgId: number,
    id: number,
    change: {
      active?: boolean;
      accessGroupId?: number;
      /** New verifiers of every accepted form (a password change). */
      verifiers?: Record<SecretForm, string>;
    },
  ): Promise<void> {
    await sql.execute(
      `UPDATE app_user SET active = COALESCE($3, active), access_group_id = COALESCE($4, access_group_id),
              password_hash = COALESCE($5, password_hash),
              password_hash_sha256 = COALESCE($6, password_hash_sha256)
        WHERE org_id = $1 AND id = $2`,
      [
        orgId,
        id,
        change.active ?? null,
        change.accessGroupId ?? null,
        change.verifiers?.md5 ?? null,
        change.verifiers?.sha256 ?? null,
      ],
    );
  }
}
