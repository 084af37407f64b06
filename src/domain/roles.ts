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

export function isRoleName(value: string): value is RoleName {
  return (ROLE_NAMES as readonly string[]).includes(value);
}
