/** Roles a person can hold besides department membership. */
export const ROLE_NAMES = ["supervisor", "leader", "admin"] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

const ROLE_WORDS: Record<string, RoleName> = {
  supervisor: "supervisor",
  督查员: "supervisor",
  督查: "supervisor",
  leader: "leader",
  领导: "leader",
  admin: "admin",
  管理员: "admin",
};

/** Reads a role as typed in English or Chinese ("督查员", "leader"); undefined when it is none. */
export function parseRole(word: string): RoleName | undefined {
  return ROLE_WORDS[word.trim().toLowerCase()];
}

/** 督查员 and admins: they act on the record (verify, return, cancel, decide extensions, post summaries). */
export const SUPERVISING_ROLES: readonly RoleName[] = ["supervisor", "admin"];
/** Those who oversee the work: they see every task, confidential ones included, and read summaries. */
export const OVERSEEING_ROLES: readonly RoleName[] = ["supervisor", "leader", "admin"];

export function hasAnyRole(roles: ReadonlySet<RoleName>, any: readonly RoleName[]): boolean {
  return any.some((role) => roles.has(role));
}

export function isRoleName(value: string): value is RoleName {
  return (ROLE_NAMES as readonly string[]).includes(value);
}
