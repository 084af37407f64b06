import type { DecisionView, Department, StoredReport, TaskView } from "../domain/model.js";
import { cardPostKey, owe } from "../domain/outbox.js";
import type { CoordinationView } from "../store/coordinations.js";
import { type LightSetup, loadLightSetup } from "./lights.js";
import type { ServiceDeps } from "./ports.js";

/**
 * What delivering a message needs to read and record, as the delivery (src/slack/outbox)
 * asks for it: cards and rollups are rendered from the state when they are sent, and where
 * they were posted is recorded.
 */
export interface DeliveryReads {
  task(id: number): Promise<TaskView | null>;
  decision(id: number): Promise<DecisionView | null>;
  report(id: number): Promise<StoredReport | null>;
  department(id: number): Promise<Department | null>;
  /** A 协调事项 with its departments and task. */
  coordination(id: number): Promise<CoordinationView | null>;
  coordinations(ids: readonly number[]): Promise<CoordinationView[]>;
  /** Open tasks by id (a digest's lines), in due order. */
  openTasks(ids: readonly number[]): Promise<TaskView[]>;
  /**
   * The task's card is being posted right now: it was rendered before the change an update
   * would show. (A card not yet sent will show the state when it is; one held for a channel
   * the bot is not in, too.)
   */
  cardBeingPosted(taskId: number): Promise<boolean>;
  /** The card is posted: where it is, the light it shows; the decision's rollup gets its link. */
  cardPosted(
    taskId: number,
    card: { channelId: string; ts: string; url: string | null },
    light: string,
  ): Promise<void>;
  /** The card now shows this light. */
  cardShown(taskId: number, light: string): Promise<void>;
  rollupPosted(
    decisionId: number,
    rollup: { channelId: string; ts: string; url: string | null },
  ): Promise<void>;
  /** The calendar and thresholds lights are computed with, now. */
  lightSetup(): Promise<LightSetup>;
}

export function createDeliveryReads(deps: Pick<ServiceDeps, "store">): DeliveryReads {
  const { store } = deps;
  return {
    task: (id) => store.read((tx) => tx.tasks.view(id)),
    decision: (id) => store.read((tx) => tx.decisions.view(id)),
    report: (id) => store.read((tx) => tx.reports.byId(id)),
    department: (id) => store.read((tx) => tx.departments.findById(id)),
    coordination: (id) => store.read((tx) => tx.coordinations.view(id)),
    coordinations: (ids) =>
      ids.length ? store.read((tx) => tx.coordinations.byIds(ids)) : Promise.resolve([]),
    openTasks: (ids) =>
      ids.length === 0
        ? Promise.resolve([])
        : store.read((tx) =>
            tx.tasks.list({ ids, states: ["dispatched", "in_progress"] }, { skip: 0, take: ids.length }),
          ),
    cardBeingPosted: async (taskId) => {
      const post = await store.read((tx) => tx.outbox.byKey(cardPostKey(taskId)));
      return post?.state === "sending";
    },
    cardPosted: (taskId, card, light) =>
      store.transaction(async (tx) => {
        await tx.tasks.setCard(taskId, card);
        await tx.taskLights.setCardLight(taskId, light);
        const task = await tx.tasks.view(taskId);
        if (task && (await tx.decisions.hasRollup(task.decision.id)))
          await tx.outbox.enqueue(owe.rollupUpdate(task.decision.id));
      }),
    cardShown: (taskId, light) => store.transaction((tx) => tx.taskLights.setCardLight(taskId, light)),
    rollupPosted: (decisionId, rollup) =>
      store.transaction((tx) => tx.decisions.setRollup(decisionId, rollup)),
    lightSetup: () => store.read((tx) => loadLightSetup(tx)),
  };
}
