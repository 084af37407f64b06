import type { OwedMessage } from "../../domain/outbox.js";
import { formatDate } from "../../domain/time.js";
import { type Reply, section } from "./blocks.js";
import type { RenderContext } from "./format.js";

type ProblemMessage = Extract<OwedMessage, { kind: "delivery.problem" }>;

/** What the supervision channel, an admin or the person who dispatched is told about a refused message. */
export function deliveryProblemReply(
  message: ProblemMessage,
  ctx: Pick<RenderContext, "m" | "tz" | "locale" | "now">,
): Reply {
  const o = ctx.m.outbox;
  if (message.since && message.until) {
    const at = (iso: string) => formatDate(new Date(iso), ctx.tz, ctx.locale, ctx.now, true);
    const text = o.authRestored({ code: message.code, since: at(message.since), until: at(message.until) });
    return { text, blocks: [section(text)] };
  }
  const what = o.kindName[message.failedKind] ?? o.kindName.text ?? "";
  const target = message.target ?? "";
  const toPerson = /^[UW]/.test(message.channel);
  let text: string;
  if (message.held) {
    text = toPerson
      ? o.blockedDm({ channelId: target, code: message.code })
      : o.blockedSupervision({ channelId: target, code: message.code });
  } else if (message.code === "missing_scope") {
    text = o.missingScope({ scope: message.needed ?? "?", what });
  } else if (message.code === "not_in_channel") {
    text = o.gaveUp({ channelId: target, code: message.code });
  } else if (message.code === "channel_not_found") {
    text = o.channelGone({ channelId: target, what });
  } else if (message.code === "is_archived") {
    text = o.archived({ channelId: target, what });
  } else {
    text = o.refused({ code: message.code, what });
  }
  return { text, blocks: [section(text)] };
}
