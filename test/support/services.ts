import { startOfDay } from "../../src/domain/time.js";
import { startDecision, submitDecision } from "../../src/services/decisions.js";
import type { ServiceDeps } from "../../src/services/ports.js";
import { openDatabase } from "../../src/store/database.js";
import { createStore, type Store } from "../../src/store/store.js";
import { freshDatabaseUrl } from "./harness.js";
import { ManualClock } from "./manual-clock.js";

export const TZ = "Asia/Shanghai";

/** A Beijing wall-clock moment. */
export const beijing = (date: string, time = "09:00") => {
  const [h, m] = time.split(":").map(Number);
  return new Date(startOfDay(date, TZ).getTime() + ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
};

export const OFFICE = {
  admin: "U0ADMIN01",
  supervisor: "U0SUPER01",
  leader: "U0LEADER1",
  finance: "U0FIN0001",
  housing: "U0HOUSE01",
} as const;

/**
 * The use cases on a real SQLite store with a hand-moved clock and no Slack: what a service
 * decides, tested without the round trips. The outbox is written, never delivered.
 */
export interface ServiceOffice {
  deps: ServiceDeps;
  store: Store;
  clock: ManualClock;
  departments: { finance: number; housing: number };
  close(): Promise<void>;
}

export async function serviceOffice(now = beijing("2026-12-01")): Promise<ServiceOffice> {
  const store = createStore(await openDatabase(await freshDatabaseUrl(), { poolSize: 4 }));
  const clock = new ManualClock(now);
  const deps: ServiceDeps = {
    store,
    clock,
    slack: { channelStatus: async () => "member", fileInfo: async () => null },
    outbox: { kick: () => undefined },
    envAdmins: [OFFICE.admin],
    timeZone: TZ,
  };
  const departments = await store.transaction(async (tx) => {
    const finance = await tx.departments.create({
      name: "市财政局",
      channelId: "C0FINANCE",
      aliases: ["财政局"],
      members: [OFFICE.finance],
      by: OFFICE.admin,
    });
    const housing = await tx.departments.create({
      name: "市住房和城乡建设局",
      channelId: "C0HOUSING",
      aliases: ["住建局"],
      members: [OFFICE.housing],
      by: OFFICE.admin,
    });
    await tx.roles.grant(OFFICE.supervisor, "supervisor", OFFICE.admin);
    await tx.roles.grant(OFFICE.leader, "leader", OFFICE.admin);
    return { finance: finance.id, housing: housing.id };
  });
  return { deps, store, clock, departments, close: () => store.close() };
}

/** Dispatches a decision typed as text (split as the modal would) and returns its task ids in order. */
export async function dispatch(
  office: ServiceOffice,
  text: string,
  leader: string = OFFICE.leader,
): Promise<number[]> {
  const state = await startDecision(office.deps, { actor: OFFICE.supervisor, text });
  const result = await submitDecision(office.deps, {
    actor: OFFICE.supervisor,
    draftId: state.draftId,
    submissionKey: `test:${state.draftId}`,
    fields: {
      source: "meeting",
      sourceRef: "",
      leaderUserId: leader,
      decidedOn: state.draft.decidedOn,
      confidentiality: "public",
      text,
    },
  });
  if (!result.ok) throw new Error(`not dispatched: ${JSON.stringify(result.problems)}`);
  return result.tasks.map((t) => t.id);
}
