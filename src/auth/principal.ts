export type Resource = 'points' | 'customer' | 'admin';
export type Level = 'none' | 'read' | 'write';

export const LEVEL_RANK: Record<Level, number> = { none: 0, read: 1, write: 2 };

/** Who is calling: a till or an admin of one org, with its access group's grants. */
export interface Principal {
  userId: number;
  orgId: number;
  username: string;
  permissions: Record<Resource, Level>;
}
