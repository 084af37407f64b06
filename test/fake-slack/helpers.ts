import type { IncomingMessage, ServerResponse } from "node:http";
import { type FakeView, type InputValue, type Json, OBJECT_FIELDS } from "./types.js";

// -------------------------------------------------------------------- helpers

export function asBlocks(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

/** Slack gives blocks without a block_id one of its own; so does the fake, deterministically. */
export function withBlockIds(view: Json): Json {
  const blocks = asBlocks(view.blocks).map((block, i) =>
    block.block_id ? block : { ...block, block_id: `b${i}` },
  );
  return { ...view, blocks };
}

export function elementsOf(block: Json): Json[] {
  if (block.type === "actions" || block.type === "context") return asBlocks(block.elements);
  if (block.type === "input" && block.element) return [block.element as Json];
  if (block.type === "section" && block.accessory) return [block.accessory as Json];
  return [];
}

/** The element a person clicks: by action_id, and by its value or the option they pick when several share the id. */
export function findElement(
  blocks: Json[],
  actionId: string,
  value?: string,
  selected?: string,
): { block: Json; element: Json } {
  for (const block of blocks) {
    for (const element of elementsOf(block)) {
      if (element.action_id !== actionId) continue;
      if (value !== undefined && element.value !== value) continue;
      if (
        selected !== undefined &&
        optionsOf(element).length > 0 &&
        !optionsOf(element).some((o) => o.value === selected)
      ) {
        continue;
      }
      return { block, element };
    }
  }
  throw new Error(
    `no element with action_id ${actionId}${value ? ` and value ${value}` : ""}${selected ? ` offering ${selected}` : ""}`,
  );
}

export function findInput(blocks: Json[], key: string): { block: Json; element: Json } {
  const [blockId, actionId] = key.includes("/") ? key.split("/") : [undefined, key];
  const matches = blocks.filter(
    (b) =>
      b.type === "input" &&
      (blockId === undefined || b.block_id === blockId) &&
      (b.element as Json | undefined)?.action_id === actionId,
  );
  const [block, ...others] = matches;
  if (!block) throw new Error(`no input with action_id ${key}`);
  if (others.length > 0)
    throw new Error(`several inputs have action_id ${key}: name it as block_id/action_id`);
  return { block, element: block.element as Json };
}

export function findInputElement(view: FakeView, blockId: string, actionId: string): Json | undefined {
  const block = asBlocks(view.view.blocks).find((b) => b.block_id === blockId);
  return block ? elementsOf(block).find((e) => e.action_id === actionId) : undefined;
}

export function hasInitial(element: Json | undefined): boolean {
  if (!element) return false;
  return Object.keys(element).some((key) => key.startsWith("initial_"));
}

export function optionsOf(element: Json): Json[] {
  const direct = asBlocks(element.options);
  const grouped = asBlocks(element.option_groups).flatMap((group) => asBlocks(group.options));
  return [...direct, ...grouped];
}

export function initialOf(element: Json): InputValue {
  const option = element.initial_option as Json | undefined;
  const options = element.initial_options as Json[] | undefined;
  if (option) return String(option.value);
  if (options) return options.map((o) => String(o.value));
  for (const key of [
    "initial_value",
    "initial_user",
    "initial_users",
    "initial_conversation",
    "initial_conversations",
    "initial_channel",
    "initial_channels",
    "initial_date",
    "initial_time",
    "initial_date_time",
  ]) {
    if (element[key] !== undefined) return element[key] as InputValue;
  }
  return null;
}

/** The state value Slack reports for an element holding `value`. */
export function stateOf(element: Json, value: InputValue): Json {
  const type = String(element.type);
  const list = value === null ? [] : Array.isArray(value) ? value : [String(value)];
  const pick = (v: string) => {
    const option = optionsOf(element).find((o) => o.value === v);
    if (!option) throw new Error(`${String(element.action_id)} has no option ${v}`);
    return option;
  };
  switch (type) {
    case "static_select":
    case "radio_buttons":
    case "external_select":
      return { type, selected_option: value === null ? null : pick(String(value)) };
    case "multi_static_select":
    case "checkboxes":
    case "multi_external_select":
      return { type, selected_options: list.map(pick) };
    case "users_select":
      return { type, selected_user: value };
    case "multi_users_select":
      return { type, selected_users: list };
    case "conversations_select":
      return { type, selected_conversation: value };
    case "multi_conversations_select":
      return { type, selected_conversations: list };
    case "channels_select":
      return { type, selected_channel: value };
    case "multi_channels_select":
      return { type, selected_channels: list };
    case "datepicker":
      return { type, selected_date: value };
    case "timepicker":
      return { type, selected_time: value };
    case "datetimepicker":
      return { type, selected_date_time: value };
    default:
      return { type, value: value === null ? null : String(value) };
  }
}

export function isEmptyValue(actions: Record<string, Json> | undefined): boolean {
  if (!actions) return true;
  return Object.values(actions).every((state) => {
    const { type: _type, ...rest } = state;
    return Object.values(rest).every((v) => v === null || v === "" || (Array.isArray(v) && v.length === 0));
  });
}

export function actionPayload(
  block: Json,
  element: Json,
  selected: string | undefined,
  actionTs: string,
): Json {
  const base = {
    action_id: element.action_id,
    block_id: block.block_id,
    type: element.type,
    action_ts: actionTs,
  };
  if (element.type === "button") {
    return { ...base, text: element.text, ...(element.value !== undefined ? { value: element.value } : {}) };
  }
  // An input with dispatch_action sends what was typed when Enter is pressed, as Slack does.
  if (element.type === "plain_text_input") return { ...base, value: selected ?? "" };
  if (element.type === "static_select" || element.type === "overflow") {
    const option = optionsOf(element).find((o) => o.value === selected);
    return { ...base, selected_option: option ?? null };
  }
  return base;
}

export function bearer(header: string | undefined): string | undefined {
  return header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
}

export function parseArgs(contentType: string, raw: Buffer): Json {
  const text = raw.toString("utf8");
  if (contentType.startsWith("application/json")) {
    return text ? (JSON.parse(text) as Json) : {};
  }
  const args: Json = {};
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = OBJECT_FIELDS.has(key) ? safeParse(value) : value;
  }
  return args;
}

export function safeParse(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export async function readRequest(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
