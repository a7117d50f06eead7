import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { performance } from 'node:perf_hooks';
import { Env } from '../config/env';
import { Db, Sql } from '../database/db';
import { OrgConfig, OrgConfigRepository } from './org-config.repository';
import { Program, ProgramRepository } from './program.repository';

/** What another feature does, in the same transaction, when an org's configuration changes. */
export type ConfigChangeHook = (tx: Sql, orgId: number, patch: Partial<OrgConfig>) => Promise<void>;

interface Entry<T> {
  value: Promise<T>;
  expiresAt: number;
}

/**
 * An org's configuration and programs as every redemption reads them, kept in memory for
 * SETTINGS_CACHE_TTL_MS (0: read each time). The admin API calls `invalidate` after it commits
 * a change, so this instance sees the change at once; other instances within the TTL.
 *
 * Concurrent misses share one read. A read that started before an invalidation is never kept:
 * the invalidation drops the org's whole map, and the read lands in that dropped map.
 * Unknown program ids are not kept, so guessing ids cannot grow the cache.
 */
@Injectable()
export class OrgSettings {
  private readonly ttlMs: number;
  /** Per org: its entries by key. */
  private readonly orgs = new Map<number, Map<string, Entry<unknown>>>();
  private readonly hooks: ConfigChangeHook[] = [];

  constructor(
    private readonly db: Db,
    private readonly orgConfigs: OrgConfigRepository,
    private readonly programs: ProgramRepository,
    config: ConfigService<Env, true>,
  ) {
    this.ttlMs = config.get('SETTINGS_CACHE_TTL_MS', { infer: true });
  }

  config(orgId: number): Promise<OrgConfig> {
    return this.cached(orgId, 'config', () => this.orgConfigs.get(this.db, orgId));
  }

  /** The org's program with this id, or its default program when id is undefined. */
  program(orgId: number, id: number | undefined): Promise<Program | undefined> {
    return this.cached(
      orgId,
      `program:${id ?? 'default'}`,
      () => this.programs.find(this.db, orgId, id),
      (p) => p !== undefined,
    );
  }

  /** Registers what a feature does when an org's configuration changes (see `changed`). */
  onChange(hook: ConfigChangeHook): void {
    this.hooks.push(hook);
  }

  /** Runs every feature's hook for `patch`, in the change's transaction `tx`. */
  async changed(tx: Sql, orgId: number, patch: Partial<OrgConfig>): Promise<void> {
    for (const hook of this.hooks) await hook(tx, orgId, patch);
  }

  /** Forgets everything cached for the org (call after the change has committed). */
  invalidate(orgId: number): void {
    this.orgs.delete(orgId);
  }

  private cached<T>(
    orgId: number,
    key: string,
    load: () => Promise<T>,
    keep: (value: T) => boolean = () => true,
  ): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = performance.now();
    let entries = this.orgs.get(orgId);
    const hit = entries?.get(key) as Entry<T> | undefined;
    if (hit && hit.expiresAt > now) return hit.value;

    if (!entries) this.orgs.set(orgId, (entries = new Map<string, Entry<unknown>>()));
    const entry: Entry<T> = { value: load(), expiresAt: now + this.ttlMs };
    entries.set(key, entry);
    const forget = () => {
      if (this.orgs.get(orgId)?.get(key) === entry) this.orgs.get(orgId)?.delete(key);
    };
    entry.value.then((v) => (keep(v) ? undefined : forget()), forget);
    return entry.value;
  }
}
