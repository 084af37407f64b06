/** Plain shapes the store returns and the services pass around; no Prisma types leak past src/store. */

export interface Department {
  id: number;
  name: string;
  channelId: string;
  active: boolean;
  aliases: string[];
  members: string[];
}

export interface RoleGrant {
  userId: string;
  role: import("./roles.js").RoleName;
}

/** One row of the append-only audit trail. */
export interface AuditEvent {
  at: Date;
  actor: string;
  type: string;
  taskId?: number | null;
  decisionId?: number | null;
  before?: unknown;
  after?: unknown;
  note?: string;
}
