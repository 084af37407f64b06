import type { SearchHit } from "../../domain/search.js";
import { excerptAround } from "../../domain/search.js";
import { formatTaskNumber } from "../../domain/task-number.js";
import { formatDate } from "../../domain/time.js";
import { esc } from "../../i18n/format.js";
import type { SearchResult } from "../../services/search.js";
import { ACTION } from "../ids.js";
import { clip, type KnownBlock, LIMITS, type Reply, section } from "./blocks.js";
import { LIGHT_EMOJI, type RenderContext } from "./format.js";

/** The words found, in bold, in an escaped excerpt. */
function highlight(text: string, words: readonly string[]): string {
  let out = esc(text);
  for (const w of [...words].sort((a, b) => b.length - a.length)) {
    if (!w) continue;
    out = out.replace(new RegExp(w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), (m) => `*${m}*`);
  }
  return out.replace(/\*\*+/g, "*");
}

function hitLine(hit: SearchHit, words: readonly string[], ctx: RenderContext): string {
  const S = ctx.m.search;
  const link = (label: string, url: string | null) => (url ? `<${url}|${label}>` : label);
  let head: string;
  let state = "";
  if (hit.task) {
    const number = formatTaskNumber(hit.task, ctx.locale);
    const open =
      hit.task.state === "dispatched" ||
      hit.task.state === "in_progress" ||
      hit.task.state === "pending_review";
    const light =
      open && hit.task.light && hit.task.light in LIGHT_EMOJI
        ? `${LIGHT_EMOJI[hit.task.light as keyof typeof LIGHT_EMOJI]} `
        : "";
    head = `${light}${link(number, hit.task.url)} ${esc(hit.task.title)}`;
    state = ctx.m.stateName[hit.task.state as keyof typeof ctx.m.stateName] ?? hit.task.state;
  } else if (hit.info) {
    head = `${link(ctx.m.info.number(hit.info), hit.info.url)} ${esc(hit.info.title)}`;
    state = S.infoState[hit.info.state] ?? hit.info.state;
  } else {
    const ref =
      hit.decision?.sourceRef ||
      Array.from(hit.decision?.text ?? "")
        .slice(0, 20)
        .join("");
    head = link(S.decision({ ref: esc(ref) }), hit.decision?.url ?? null);
  }
  return S.line({
    kind: S.kindName[hit.kind] ?? hit.kind,
    head,
    unit: hit.department ? esc(hit.department) : "",
    state,
    date: formatDate(hit.at, ctx.tz, ctx.locale, ctx.now),
    excerpt: highlight(excerptAround(hit.text, words), words),
  });
}

/** 查找's answer: a page of hits, newest first, with 下一页 when there are more. */
export function searchReply(result: SearchResult, typed: string, ctx: RenderContext): Reply {
  const S = ctx.m.search;
  const words = result.words.join(" ");
  if (result.hits.length === 0)
    return { text: S.empty({ words }), blocks: [section(esc(S.empty({ words })))] };
  const title = S.title({ words, page: result.page });
  const blocks: KnownBlock[] = [
    section(`*${esc(title)}*`),
    ...result.hits.map((hit) => section(clip(hitLine(hit, result.words, ctx), LIMITS.sectionText))),
  ];
  if (result.more)
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTION.searchPage,
          text: { type: "plain_text", text: S.next },
          value: JSON.stringify({ q: clip(typed, 1_500), p: result.page + 1 }),
        },
      ],
    } as KnownBlock);
  return { text: title, blocks };
}
