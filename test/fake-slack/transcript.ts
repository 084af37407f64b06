import type { Activity, FakeMessage, FakeSlack, FakeView } from "./fake-slack.js";
import { BOT } from "./payloads.js";

type Json = Record<string, unknown>;

/**
 * Prints what happened in the fake workspace as a person would read it: the channel, who
 * spoke, what they said; thread replies indented; what only one person saw marked so.
 */
export class Transcript {
  #next = 0;
  /** What was last printed of each message, so an update shows only what changed. */
  readonly #printed = new Map<string, string[]>();
  readonly #slack: FakeSlack;
  readonly #write: (line: string) => void;

  constructor(slack: FakeSlack, write: (line: string) => void) {
    this.#slack = slack;
    this.#write = write;
  }

  /** A heading for the next part of the story. */
  heading(title: string): void {
    this.#write("");
    this.#write(`━━━ ${title} ━━━`);
  }

  /** A line of narration (what time it is, what someone does off-screen). */
  note(text: string): void {
    this.#write(`  （${text}）`);
  }

  /** Prints everything that happened since the last flush. */
  flush(): void {
    const activity = this.#slack.activity;
    for (; this.#next < activity.length; this.#next++) {
      const entry = activity[this.#next];
      if (entry) this.#print(entry);
    }
  }

  #print(entry: Activity): void {
    switch (entry.kind) {
      case "command":
        this.#write(
          `${this.#channel(entry.channel)} · ${this.#name(entry.user)}: ${this.#plain(`/ducha ${entry.text}`)}`,
        );
        return;
      case "ephemeral": {
        const e = this.#slack.ephemerals[entry.index];
        if (e) this.#block(`  ↳ 仅 ${this.#name(e.user)} 可见 · ducha:`, e.text, e.blocks, "      ");
        return;
      }
      case "message": {
        const message = this.#slack.message(entry.channel, entry.ts);
        if (message) this.#message(message, "");
        return;
      }
      case "update": {
        const message = this.#slack.message(entry.channel, entry.ts);
        if (message) this.#message(message, "（已更新）");
        return;
      }
      case "delete":
        this.#write(`${this.#channel(entry.channel)} · 一条消息被删除：${this.#plain(entry.text)}`);
        return;
      case "reaction":
        this.#write(
          `${this.#indentFor(entry.channel, entry.ts)}  ducha 回应 ${EMOJI[entry.name] ?? `:${entry.name}:`}`,
        );
        return;
      case "view": {
        const view = this.#slack.views.get(entry.viewId);
        if (view) this.#view(view, entry.how);
        return;
      }
      case "home": {
        const view = this.#slack.homeView(entry.userId);
        if (view)
          this.#block(`[${this.#name(entry.userId)} 的 ducha 主页]`, "", view.view.blocks as Json[], "    ");
        return;
      }
    }
  }

  #message(message: FakeMessage, suffix: string): void {
    const inThread = message.threadTs !== undefined && message.threadTs !== message.ts;
    const where = inThread
      ? `    ↳ ${this.#channel(message.channel)} 消息列回复`
      : this.#channel(message.channel);
    const indent = inThread ? "        " : "    ";
    const who = message.botId === BOT.botId ? "ducha" : this.#name(message.user);
    const files = message.files.map((f) => `📎 ${f.title}`).join(" ");
    const lines = this.#lines([message.text, files].filter(Boolean).join(" "), message.blocks);
    const key = `${message.channel}:${message.ts}`;
    const before = this.#printed.get(key);
    this.#printed.set(key, lines);
    if (before && suffix) {
      // An update: the first line names the message, then only what changed.
      const changed = lines.filter((line, i) => i > 0 && !before.includes(line));
      if (changed.length === 0) return;
      this.#write(`${where} · ${who}${suffix}: ${lines[0] ?? ""}`);
      for (const line of changed) this.#write(`${indent}${line}`);
      return;
    }
    const [first, ...rest] = lines;
    this.#write(`${where} · ${who}${suffix}: ${first ?? ""}`);
    for (const line of rest) this.#write(`${indent}${line}`);
  }

  #lines(text: string, blocks: Json[] | undefined): string[] {
    const lines = blocks?.length ? renderBlocks(blocks).map((l) => this.#plain(l)) : [this.#plain(text)];
    return lines.flatMap((l) => l.split("\n"));
  }

  #view(view: FakeView, how: string): void {
    const title = (view.view.title as Json | undefined)?.text ?? "";
    const verb = how === "update" ? "对话框更新" : how === "push" ? "叠加对话框" : "打开对话框";
    this.#block(
      `  [${this.#name(view.userId)} ${verb}“${String(title)}”]`,
      "",
      view.view.blocks as Json[],
      "      ",
    );
  }

  #block(head: string, text: string, blocks: Json[] | undefined, indent: string): void {
    const lines = blocks?.length ? renderBlocks(blocks).map((l) => this.#plain(l)) : [this.#plain(text)];
    const [first, ...rest] = lines.flatMap((l) => l.split("\n"));
    this.#write(`${head} ${first ?? ""}`);
    for (const line of rest) this.#write(`${indent}${line}`);
  }

  #indentFor(channel: string, ts: string): string {
    const message = this.#slack.message(channel, ts);
    return message?.threadTs && message.threadTs !== ts ? "        " : "    ";
  }

  #name(userId: string): string {
    if (userId === BOT.userId) return "ducha";
    return this.#slack.users.get(userId)?.realName ?? userId;
  }

  #channel(id: string): string {
    const channel = this.#slack.channels.get(id);
    if (!channel) return id;
    return channel.isIm
      ? `私信 ${this.#name([...channel.members].find((m) => m !== BOT.userId) ?? "")}`
      : `#${channel.name}`;
  }

  /** mrkdwn as a terminal shows it: mentions by name, links by their text, no markup. */
  #plain(mrkdwn: string): string {
    return mrkdwn
      .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => `@${this.#name(id)}`)
      .replace(/<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) =>
        name ? `#${name}` : this.#channel(id),
      )
      .replace(/<(https?:[^|>]+)\|([^>]+)>/g, "$2")
      .replace(/<(https?:[^>]+)>/g, "$1")
      .replace(/<!([a-z]+)>/g, "@$1")
      .replace(/(^|[^\w*])\*([^*\n]+)\*(?=$|[^\w*])/g, "$1$2")
      .replace(/:([a-z0-9_+-]+):/g, (code: string, name: string) => EMOJI[name] ?? code)
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  }
}

/** Emoji codes the bot uses, as a terminal can show them. */
const EMOJI: Record<string, string> = {
  red_circle: "🔴",
  large_yellow_circle: "🟡",
  large_green_circle: "🟢",
  white_check_mark: "✅",
  ballot_box_with_check: "☑️",
  white_circle: "⚪",
  warning: "⚠️",
  lock: "🔒",
  pushpin: "📌",
  construction: "🚧",
  rotating_light: "🚨",
  memo: "📝",
  spiral_calendar_pad: "🗓️",
  alarm_clock: "⏰",
  clipboard: "📋",
  mega: "📣",
  inbox_tray: "📥",
  leftwards_arrow_with_hook: "↩️",
  arrows_counterclockwise: "🔄",
  hourglass_flowing_sand: "⏳",
  x: "❌",
  mag: "🔍",
  star: "⭐",
  trophy: "🏆",
  fire: "🔥",
  page_facing_up: "📄",
};

/** A section field "*label*\nvalue" as "label：value". */
function fieldLine(text: string): string {
  const match = /^\*([^*]+)\*\n([\s\S]*)$/.exec(text);
  return match ? `${match[1]}：${match[2]}` : text;
}

/** What an input shows before the person types: its initial value. */
function initialOf(element: Json | undefined): string {
  if (!element) return "";
  const option = element.initial_option as Json | undefined;
  if (option) return String((option.text as Json | undefined)?.text ?? "");
  const options = element.initial_options as Json[] | undefined;
  if (options) return options.map((o) => String((o.text as Json | undefined)?.text ?? "")).join("、");
  if (typeof element.initial_user === "string") return `<@${element.initial_user}>`;
  for (const key of ["initial_value", "initial_date", "initial_time"]) {
    if (typeof element[key] === "string") return String(element[key]).split("\n")[0] ?? "";
  }
  return "";
}

/** Blocks as lines of text: headers in 【】, buttons in [ ], inputs with their labels. */
export function renderBlocks(blocks: readonly Json[]): string[] {
  const lines: string[] = [];
  const textOf = (value: unknown) => String((value as Json | undefined)?.text ?? "");
  for (const block of blocks) {
    switch (block.type) {
      case "header":
        lines.push(`【${textOf(block.text)}】`);
        break;
      case "section":
        if (block.text) lines.push(textOf(block.text));
        {
          const fields = ((block.fields as Json[] | undefined) ?? []).map((field) =>
            fieldLine(textOf(field)),
          );
          for (let i = 0; i < fields.length; i += 2) lines.push(fields.slice(i, i + 2).join("    "));
        }
        if ((block.accessory as Json | undefined)?.type === "button")
          lines.push(`[${textOf((block.accessory as Json).text)}]`);
        break;
      case "context":
        lines.push(((block.elements as Json[] | undefined) ?? []).map((e) => textOf(e)).join("  "));
        break;
      case "divider":
        lines.push("────────");
        break;
      case "actions":
        lines.push(
          ((block.elements as Json[] | undefined) ?? [])
            .map((e) =>
              e.type === "button" ? `[${textOf(e.text)}]` : `[${textOf(e.placeholder) || "选择"} ▾]`,
            )
            .join(" "),
        );
        break;
      case "input": {
        const initial = initialOf(block.element as Json | undefined);
        lines.push(`${textOf(block.label)}：${initial ? `“${initial}”` : "＿＿＿"}`);
        break;
      }
      default:
        break;
    }
  }
  return lines;
}
