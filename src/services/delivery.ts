import { type OutboxRequest, type OwedKind, owe, problemKeys } from "../domain/outbox.js";
import { readSettings } from "../domain/settings.js";
import type { Repositories } from "../store/store.js";
import { listAdmins } from "./access.js";
import type { ServiceDeps } from "./ports.js";

/** Slack's errors that concern the channel a message was for. */
export const CHANNEL_CODES: ReadonlySet<string> = new Set([
  "channel_not_found",
  "is_archived",
  "not_in_channel",
]);

/** What Slack refused, for whom to tell. */
export interface DeliveryProblem {
  code: string;
  /** The scope Slack said was needed (missing_scope). */
  needed?: string;
  /** The lane (usually the channel) of the refused message. */
  target: string;
  failedKind: OwedKind;
  /** A channel the bot is not in: its messages are held until it is invited, not dropped. */
  held: boolean;
  /** Who asked for the refused message (the person who dispatched a card), if anyone. */
  requestedBy: string | null;
}

/** The part of a notice's key that makes it once per cause: the scope, the channel or the kind of message. */
export function problemDetail(problem: Pick<DeliveryProblem, "code" | "needed" | "target" | "failedKind">) {
  if (problem.code === "missing_scope") return problem.needed ?? "";
  if (CHANNEL_CODES.has(problem.code)) return problem.target;
  return problem.failedKind;
}

/** Keys of the notices about one cause start with this; forgetting them lets the next occurrence be told again. */
export function problemPrefix(
  problem: Pick<DeliveryProblem, "code" | "needed" | "target" | "failedKind" | "held">,
) {
  return problem.held
    ? problemKeys.blocked(problem.target)
    : problemKeys.refused(problem.code, problemDetail(problem));
}

/**
 * Owes the notices about a message Slack refused, once per cause: for a channel the bot is
 * not in, the person who dispatched and the supervision channel (its messages wait for an
 * invitation); for a refusal that no retry can mend (a scope the install lacks, an archived
 * channel, a message Slack will not take), the supervision channel and every admin by DM,
 * saying what to do. Returns the prefix of the notices' keys.
 */
export async function oweProblemNotices(
  deps: Pick<ServiceDeps, "envAdmins">,
  tx: Repositories,
  problem: DeliveryProblem,
): Promise<string> {
  const prefix = problemPrefix(problem);
  // A notice about a notice would go round in circles: the log has it.
  if (problem.failedKind === "delivery.problem") return prefix;
  const settings = readSettings(await tx.settings.all());
  const details = {
    code: problem.code,
    failedKind: problem.failedKind,
    target: problem.target,
    ...(problem.needed ? { needed: problem.needed } : {}),
    ...(problem.held ? { held: true } : {}),
  };
  const owed: OutboxRequest[] = [];
  const recipients = new Set<string>();
  const supervision = settings.supervisionChannel;
  if (supervision && supervision !== problem.target) recipients.add(supervision);
  if (problem.held) {
    if (problem.requestedBy && problem.requestedBy !== problem.target) recipients.add(problem.requestedBy);
  } else {
    for (const admin of await listAdmins(deps, tx)) recipients.add(admin);
  }
  for (const to of recipients) owed.push(owe.deliveryProblem(prefix, to, details));
  await tx.outbox.enqueueAll(owed);
  return prefix;
}

/**
 * Slack refused the bot's token for a while (revoked, then put right) and delivery paused;
 * it works again. The supervision channel and every admin are told once per outage: when it
 * began and ended, and that what was owed has gone out since, in order.
 */
export async function oweAuthRestored(
  deps: Pick<ServiceDeps, "envAdmins">,
  tx: Repositories,
  outage: { code: string; since: Date; until: Date },
): Promise<void> {
  const settings = readSettings(await tx.settings.all());
  const recipients = new Set<string>(await listAdmins(deps, tx));
  if (settings.supervisionChannel) recipients.add(settings.supervisionChannel);
  const cause = problemKeys.refused(outage.code, outage.since.toISOString());
  await tx.outbox.enqueueAll(
    [...recipients].map((to) =>
      owe.deliveryProblem(cause, to, {
        code: outage.code,
        failedKind: "text",
        since: outage.since.toISOString(),
        until: outage.until.toISOString(),
      }),
    ),
  );
}
