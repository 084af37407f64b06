import type { WebClient } from "@slack/web-api";
import { DateTime } from "luxon";
import { reportingUnits } from "../services/information.js";
import type { SlackDeps } from "./deps.js";
import { type InfoModalMeta, infoModal } from "./render/info-modals.js";
import { renderContext } from "./render-context.js";

/**
 * How a 信息报送 starts, from `/ducha 报送` or the message shortcut 报送信息: the modal, the event's
 * time now by default (the person sets when it happened), the units the person may report for.
 */
export async function openInfoModal(
  deps: SlackDeps,
  client: WebClient,
  input: { actor: string; triggerId: string; text?: string; meta?: InfoModalMeta },
): Promise<void> {
  const units = await reportingUnits(deps.services, input.actor);
  const ctx = await renderContext(deps);
  const now = DateTime.fromJSDate(deps.services.clock.now(), { zone: deps.services.timeZone });
  await client.views.open({
    trigger_id: input.triggerId,
    view: infoModal(units, ctx, {
      ...(input.text ? { text: input.text } : {}),
      date: now.toISODate() ?? "",
      time: now.toFormat("HH:mm"),
      meta: input.meta ?? {},
    }),
  });
}

/** A date and a time as typed in the office's zone, as an instant; null when not a real moment. */
export function instantOf(date: string | undefined, time: string | undefined, tz: string): Date | null {
  if (!date || !time) return null;
  const at = DateTime.fromISO(`${date}T${time}`, { zone: tz });
  return at.isValid ? at.toJSDate() : null;
}
