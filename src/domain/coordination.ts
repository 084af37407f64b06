import { findMentions, type KnownDepartment } from "./splitter/departments.js";

/**
 * 协调事项: a blocker that needs another department. A blocker report of the lead department
 * that names another registered department (by name or alias) asks that department for help;
 * what is needed is the sentence that names it. A name under a negation ("无需住建局配合",
 * "不需要交通局协调") asks nothing, nor does the lead naming itself.
 */

export interface CoordinationAsk {
  departmentId: number;
  /** The sentence of the report that names the department: what is needed. */
  need: string;
}

/** "无需", "不需要", "不用", "没有…" just before the name (within the sentence). */
const NEGATED_BEFORE =
  /(?:无需|无须|毋需|不需|不需要|不必|不用|没有|无|未|非|不涉及|不要)\s*(?:[请由让]\s*)?$/;
/** A name followed by "已协调好", "已解决", "无关": nothing to ask. */
const SETTLED_AFTER = /^\s*(?:已|已经|均已)(?:协调好|协调解决|解决|配合到位|答复)|^\s*(?:无关|没关系)/;
const SENTENCE = /[^。！？!?；;\n]+[。！？!?；;]?/g;

/** The departments a blocker report asks for help, each with the sentence that asks. */
export function readCoordinationAsks(
  text: string,
  departments: readonly KnownDepartment[],
  options: { leadId: number },
): CoordinationAsk[] {
  const asks = new Map<number, CoordinationAsk>();
  for (const match of text.matchAll(SENTENCE)) {
    const sentence = match[0].trim();
    if (!sentence) continue;
    for (const mention of findMentions(sentence, departments)) {
      if (mention.departmentId === options.leadId || asks.has(mention.departmentId)) continue;
      const before = sentence.slice(Math.max(0, mention.start - 6), mention.start);
      const after = sentence.slice(mention.end, mention.end + 8);
      if (NEGATED_BEFORE.test(before) || SETTLED_AFTER.test(after)) continue;
      asks.set(mention.departmentId, { departmentId: mention.departmentId, need: sentence });
    }
  }
  return [...asks.values()];
}

/** open: waiting for an answer; accepted: 接办, the answer still owed; then answered, resolved or declined. */
export const COORDINATION_STATES = ["open", "accepted", "answered", "resolved", "declined"] as const;
export type CoordinationState = (typeof COORDINATION_STATES)[number];
/** Waiting for the requested department: the clock runs and the ladder climbs. */
export const AWAITING: readonly CoordinationState[] = ["open", "accepted"];
/** Not yet closed: shown on the card, in App Home, in 列表 协调 and in 难点. */
export const UNRESOLVED: readonly CoordinationState[] = ["open", "accepted", "answered"];

/** A 协调事项 as stored. */
export interface StoredCoordination {
  id: number;
  taskId: number;
  fromDeptId: number;
  toDeptId: number;
  need: string;
  state: CoordinationState;
  openedAt: Date;
  openedBy: string;
  reportId: number | null;
  replyBy: Date;
  acceptedAt: Date | null;
  acceptedBy: string | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  answer: string;
  closedAt: Date | null;
  closedBy: string | null;
  declineReason: string;
  step: number;
  steppedAt: Date | null;
}

/** A request with the names the office reads it by. */
export interface CoordinationView extends StoredCoordination {
  fromDept: { id: number; name: string; channelId: string; members: string[] };
  toDept: { id: number; name: string; channelId: string; members: string[] };
  task: {
    id: number;
    year: number;
    seq: number;
    title: string;
    confidentiality: string;
    urgent: boolean;
    cardUrl: string | null;
  };
}
