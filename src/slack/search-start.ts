import { AppError } from "../domain/errors.js";
import { currentPeriod, previousPeriod } from "../domain/period.js";
import type { SearchFilter } from "../domain/search.js";
import { type LocalDate, startOfDay } from "../domain/time.js";
import { is } from "../i18n/words.js";
import { search, unitNamed } from "../services/search.js";
import type { SlackDeps } from "./deps.js";
import { periodWord, tokenize, userMention } from "./parse.js";
import type { Reply } from "./render/blocks.js";
import { searchReply } from "./render/search.js";
import { renderContext } from "./render-context.js";

const SOURCE_NAMES: Record<string, string> = {
  会议: "meeting",
  批示: "instruction",
  文件: "document",
  信访件: "petition",
  信访: "petition",
  建议提案: "proposal",
  提案: "proposal",
  上级督查: "inspection",
  其他: "other",
};

/**
 * What follows `查找`: the words, and the filters among them — 单位 名称, 来源 会议|批示|…,
 * 领导 @someone, a year (2025) or a period word (本年, 上月), 在办|已办结|已撤销.
 */
export async function parseSearch(
  deps: SlackDeps,
  text: string,
): Promise<{ query: string; filter: SearchFilter }> {
  const tokens = tokenize(text);
  const words: string[] = [];
  const filter: SearchFilter = {};
  const now = deps.services.clock.now();
  const tz = deps.services.timeZone;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const next = tokens[i + 1];
    if (is(token, "dept") && next) {
      filter.departmentId = await unitNamed(deps.services, next);
      i++;
    } else if (is(token, "source") && next) {
      const source = SOURCE_NAMES[next] ?? next.toLowerCase();
      if (!Object.values(SOURCE_NAMES).includes(source))
        throw new AppError("usage", { usage: "search", detail: next });
      filter.source = source;
      i++;
    } else if (is(token, "leader") && next && userMention(next)) {
      filter.leaderUserId = userMention(next);
      i++;
    } else if (/^(19|20|21)\d{2}年?$/.test(token)) {
      const year = Number(token.slice(0, 4));
      filter.period = {
        start: startOfDay(`${year}-01-01` as LocalDate, tz),
        end: startOfDay(`${year + 1}-01-01` as LocalDate, tz),
      };
    } else if (periodWord(token)) {
      const choice = periodWord(token);
      if (choice) {
        const period =
          choice.which === "current"
            ? currentPeriod(choice.kind, now, tz)
            : previousPeriod(choice.kind, now, tz);
        filter.period = {
          start: period.start,
          end: choice.which === "current" ? new Date(now.getTime() + 86_400_000) : period.end,
        };
      }
    } else if (is(token, "open")) filter.state = "open";
    else if (is(token, "closed")) filter.state = "closed";
    else if (is(token, "cancelled")) filter.state = "cancelled";
    else words.push(token);
  }
  return { query: words.join(" "), filter };
}

/** Runs a search as typed, a page of it. */
export async function searchPage(deps: SlackDeps, actor: string, text: string, page: number): Promise<Reply> {
  const { query, filter } = await parseSearch(deps, text);
  const result = await search(deps.services, { actor, query, filter, page });
  return searchReply(result, text, await renderContext(deps));
}
