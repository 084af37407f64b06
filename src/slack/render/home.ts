import type { types } from "@slack/bolt";
import type { Light } from "../../domain/lights.js";
import type { TaskView } from "../../domain/model.js";
import { canSeeConfidential } from "../../domain/permissions.js";
import { formatDate } from "../../domain/time.js";
import { BOARD_LINES, type HomeData } from "../../services/home.js";
import { ACTION } from "../ids.js";
import {
  context,
  divider,
  header,
  type KnownBlock,
  LIMITS,
  type Reply,
  section,
  textSections,
} from "./blocks.js";
import { openCoordinationLine } from "./coordination.js";
import { LIGHT_EMOJI, lightOf, type RenderContext } from "./format.js";
import { taskLine } from "./task-list.js";

/** Lines of tasks each group shows at most; the rest are counted and pointed to `/ducha list`. */
const LINES_PER_GROUP = BOARD_LINES;

type Group = { light: Light | "review"; tasks: TaskView[] };

function groups(tasks: readonly TaskView[], ctx: RenderContext): Group[] {
  const by: Record<string, TaskView[]> = { red: [], yellow: [], green: [], review: [] };
  for (const task of tasks) {
    if (task.state === "pending_review") {
      by.review?.push(task);
      continue;
    }
    const { light } = lightOf(task, ctx);
    by[light]?.push(task);
  }
  return (["red", "yellow", "green", "review"] as const).map((light) => ({ light, tasks: by[light] ?? [] }));
}

function taskLines(
  tasks: readonly TaskView[],
  ctx: RenderContext,
  data: HomeData,
  command: string,
): KnownBlock[] {
  const shown = tasks.slice(0, LINES_PER_GROUP);
  const blocks = textSections(
    shown.map((task) => taskLine(task, ctx, (t) => canSeeConfidential(data.viewer, t))),
  );
  if (tasks.length > shown.length)
    blocks.push(context(ctx.m.home.more({ count: tasks.length - shown.length, command })));
  return blocks;
}

/** The first tasks of a list counted in the database, and how many more there are. */
function counted(
  shown: readonly TaskView[],
  total: number,
  ctx: RenderContext,
  data: HomeData,
  command: string,
): KnownBlock[] {
  const blocks = textSections(
    shown.map((task) => taskLine(task, ctx, (t) => canSeeConfidential(data.viewer, t))),
  );
  if (total > shown.length) blocks.push(context(ctx.m.home.more({ count: total - shown.length, command })));
  return blocks;
}

/**
 * The App Home: a member's open tasks grouped by light, with links; for those who oversee, the
 * whole board with counts per light and per department, the red tasks and those awaiting
 * verification. Always within Slack's 100 blocks: long lists end with "更多" and `/ducha list`.
 */
export function homeView(data: HomeData, ctx: RenderContext, found?: Reply): types.HomeView {
  const { m } = ctx;
  const blocks: KnownBlock[] = [];
  if (data.board) {
    // 查考: the office's search box; Enter searches, the hits show under it.
    blocks.push({
      type: "input",
      block_id: ACTION.homeSearch,
      dispatch_action: true,
      label: { type: "plain_text", text: m.search.box },
      element: {
        type: "plain_text_input",
        action_id: ACTION.homeSearch,
        dispatch_action_config: { trigger_actions_on: ["on_enter_pressed"] },
        placeholder: { type: "plain_text", text: m.search.placeholder },
      },
    } as KnownBlock);
    if (found) blocks.push(...found.blocks.filter((b) => b.type !== "actions").slice(0, 12), divider());
    const board = data.board;
    blocks.push(header(m.home.boardTitle));
    blocks.push(section(m.home.totals(board.totals)));
    const perDepartment = [...board.departments].sort(
      (a, b) => b.red - a.red || b.yellow - a.yellow || b.open - a.open,
    );
    blocks.push(
      section(m.home.byDepartment),
      ...textSections(perDepartment.slice(0, 60).map((d) => m.home.deptLine(d))),
    );
    if (perDepartment.length > 60)
      blocks.push(
        context(m.home.more({ count: perDepartment.length - 60, command: "/ducha 列表 单位 名称" })),
      );
    blocks.push(
      section(m.home.redTasks),
      ...counted(board.red.tasks, board.red.total, ctx, data, "/ducha 列表 红灯"),
    );
    if (board.review.total)
      blocks.push(
        section(m.home.reviewTasks),
        ...counted(board.review.tasks, board.review.total, ctx, data, "/ducha 列表 全部"),
      );
    if (board.coordinations.length) {
      const shown = board.coordinations.slice(0, BOARD_LINES);
      blocks.push(
        section(m.coordination.homeTitle({ count: board.coordinations.length })),
        ...textSections(shown.map((request) => openCoordinationLine(request, ctx))),
      );
      if (board.coordinations.length > shown.length)
        blocks.push(
          context(
            m.home.more({ count: board.coordinations.length - shown.length, command: "/ducha 列表 协调" }),
          ),
        );
    }
    const loops = data.loops;
    if (loops) {
      const a = loops.assigned;
      const lines = [
        ...(a.red + a.yellow + a.green > 0 ? [m.loops.homeAssigned(a)] : []),
        ...(loops.rechecks ? [m.loops.homeRechecks({ count: loops.rechecks })] : []),
        ...(loops.unreadClosures ? [m.loops.homeClosures({ count: loops.unreadClosures })] : []),
      ];
      if (data.info) lines.push(m.info.homeOffice(data.info));
      if (lines.length) blocks.push(section(lines.join("\n")));
    }
    blocks.push(divider());
  }
  blocks.push(header(m.home.title));
  if (data.info && !data.info.office && (data.info.open > 0 || data.info.owed > 0))
    blocks.push(section(m.info.homeUnit(data.info)));
  if (data.viewer.departmentIds.size === 0) {
    blocks.push(section(m.home.notMember));
  } else if (data.mine.length === 0) {
    blocks.push(section(m.home.empty));
  } else {
    for (const group of groups(data.mine, ctx)) {
      if (group.tasks.length === 0) continue;
      const label =
        group.light === "review"
          ? m.home.pendingReview
          : `${LIGHT_EMOJI[group.light]} ${m.lightName[group.light]}`;
      blocks.push(
        section(m.home.group({ light: label, count: group.tasks.length })),
        ...taskLines(group.tasks, ctx, data, "/ducha 列表"),
      );
    }
  }
  blocks.push(context(m.home.updated({ time: formatDate(ctx.now, ctx.tz, ctx.locale, ctx.now, true) })));
  return { type: "home", blocks: blocks.slice(0, LIMITS.viewBlocks) };
}
