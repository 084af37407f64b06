/**
 * The Block Kit rules Slack enforces, as the fake Slack server checks them. Each problem is
 * reported the way Slack words it: "[ERROR] <what> [json-pointer:<where>]".
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const length = (text: string) => Array.from(text).length;

const BLOCK_TYPES = new Set([
  "section",
  "header",
  "context",
  "divider",
  "actions",
  "input",
  "image",
  "rich_text",
  "markdown",
  "file",
  "video",
]);

class Problems {
  readonly list: string[] = [];
  add(what: string, where: string): void {
    this.list.push(`[ERROR] ${what} [json-pointer:${where}]`);
  }
}

function checkText(
  p: Problems,
  value: unknown,
  where: string,
  options: { max: number; plainOnly?: boolean; required?: boolean },
): void {
  if (value === undefined && !options.required) return;
  if (!isObject(value)) {
    p.add("must provide an object", where);
    return;
  }
  if (value.type !== "plain_text" && value.type !== "mrkdwn") {
    p.add("must be a valid enum value", `${where}/type`);
    return;
  }
  if (options.plainOnly && value.type !== "plain_text") {
    p.add("must be a valid enum value", `${where}/type`);
  }
  if (typeof value.text !== "string" || value.text.length === 0) {
    p.add("must be more than 0 characters", `${where}/text`);
    return;
  }
  if (length(value.text) > options.max) {
    p.add(`must be less than ${options.max + 1} characters`, `${where}/text`);
  }
}

function checkString(p: Problems, value: unknown, where: string, max: number): void {
  if (value === undefined) return;
  if (typeof value !== "string") p.add("must be a string", where);
  else if (length(value) > max) p.add(`must be less than ${max + 1} characters`, where);
}

function checkOption(p: Problems, option: unknown, where: string): void {
  if (!isObject(option)) {
    p.add("must provide an object", where);
    return;
  }
  checkText(p, option.text, `${where}/text`, { max: 75, required: true });
  if (typeof option.value !== "string") p.add("must provide a string", `${where}/value`);
  else checkString(p, option.value, `${where}/value`, 150);
}

function checkOptions(p: Problems, element: Json, where: string, max: number): void {
  if (element.options !== undefined) {
    if (!Array.isArray(element.options)) p.add("must provide an array", `${where}/options`);
    else {
      if (element.options.length > max) p.add(`no more than ${max} items allowed`, `${where}/options`);
      element.options.forEach((option, i) => {
        checkOption(p, option, `${where}/options/${i}`);
      });
    }
  }
  if (Array.isArray(element.initial_options)) {
    element.initial_options.forEach((option, i) => {
      checkOption(p, option, `${where}/initial_options/${i}`);
    });
  }
  if (element.initial_option !== undefined) checkOption(p, element.initial_option, `${where}/initial_option`);
}

function checkElement(p: Problems, element: unknown, where: string): void {
  if (!isObject(element)) {
    p.add("must provide an object", where);
    return;
  }
  checkString(p, element.action_id, `${where}/action_id`, 255);
  checkText(p, element.placeholder, `${where}/placeholder`, { max: 150, plainOnly: true });
  switch (element.type) {
    case "button":
      checkText(p, element.text, `${where}/text`, { max: 75, plainOnly: true, required: true });
      checkString(p, element.value, `${where}/value`, 2000);
      checkString(p, element.url, `${where}/url`, 3000);
      if (element.style !== undefined && element.style !== "primary" && element.style !== "danger") {
        p.add("must be a valid enum value", `${where}/style`);
      }
      break;
    case "static_select":
    case "multi_static_select":
    case "radio_buttons":
    case "checkboxes":
    case "overflow":
      checkOptions(
        p,
        element,
        where,
        element.type === "overflow" ? 5 : element.type === "checkboxes" ? 10 : 100,
      );
      if (
        (element.type === "static_select" || element.type === "multi_static_select") &&
        element.options === undefined &&
        element.option_groups === undefined
      ) {
        p.add("must provide options or option_groups", where);
      }
      break;
    case "plain_text_input":
      checkString(p, element.initial_value, `${where}/initial_value`, 3000);
      if (typeof element.max_length === "number" && element.max_length > 3000) {
        p.add("must be less than 3001", `${where}/max_length`);
      }
      break;
    case "datepicker":
      if (element.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(element.initial_date))) {
        p.add("must match pattern YYYY-MM-DD", `${where}/initial_date`);
      }
      break;
    case "number_input":
      if (typeof element.is_decimal_allowed !== "boolean")
        p.add("must provide a boolean", `${where}/is_decimal_allowed`);
      break;
    case "users_select":
    case "multi_users_select":
    case "conversations_select":
    case "multi_conversations_select":
    case "channels_select":
    case "multi_channels_select":
    case "timepicker":
    case "datetimepicker":
    case "email_text_input":
    case "url_text_input":
    case "image":
    case "external_select":
    case "multi_external_select":
    case "rich_text_input":
    case "file_input":
      break;
    default:
      p.add("must be a valid enum value", `${where}/type`);
  }
}

function checkActionIdsUnique(p: Problems, elements: unknown[], where: string): void {
  const seen = new Set<string>();
  elements.forEach((element, i) => {
    const id = isObject(element) ? element.action_id : undefined;
    if (typeof id !== "string") return;
    if (seen.has(id)) p.add("action_id must be unique within a block", `${where}/${i}/action_id`);
    seen.add(id);
  });
}

function checkBlock(p: Problems, block: unknown, where: string, surface: "message" | "modal" | "home"): void {
  if (!isObject(block)) {
    p.add("must provide an object", where);
    return;
  }
  if (typeof block.type !== "string" || !BLOCK_TYPES.has(block.type)) {
    p.add("must be a valid enum value", `${where}/type`);
    return;
  }
  checkString(p, block.block_id, `${where}/block_id`, 255);
  switch (block.type) {
    case "section": {
      if (block.text === undefined && block.fields === undefined) p.add("must provide text or fields", where);
      checkText(p, block.text, `${where}/text`, { max: 3000 });
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) p.add("must provide an array", `${where}/fields`);
        else {
          if (block.fields.length > 10) p.add("no more than 10 items allowed", `${where}/fields`);
          block.fields.forEach((field, i) => {
            checkText(p, field, `${where}/fields/${i}`, { max: 2000, required: true });
          });
        }
      }
      if (block.accessory !== undefined) checkElement(p, block.accessory, `${where}/accessory`);
      break;
    }
    case "header":
      checkText(p, block.text, `${where}/text`, { max: 150, plainOnly: true, required: true });
      break;
    case "context": {
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        p.add("must provide a non-empty array", `${where}/elements`);
        break;
      }
      if (block.elements.length > 10) p.add("no more than 10 items allowed", `${where}/elements`);
      block.elements.forEach((element, i) => {
        if (isObject(element) && element.type === "image") return;
        checkText(p, element, `${where}/elements/${i}`, { max: 3000, required: true });
      });
      break;
    }
    case "actions": {
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        p.add("must provide a non-empty array", `${where}/elements`);
        break;
      }
      if (block.elements.length > 25) p.add("no more than 25 items allowed", `${where}/elements`);
      block.elements.forEach((element, i) => {
        checkElement(p, element, `${where}/elements/${i}`);
      });
      checkActionIdsUnique(p, block.elements, `${where}/elements`);
      break;
    }
    case "input": {
      if (surface === "message") p.add("input blocks are not allowed in messages", where);
      checkText(p, block.label, `${where}/label`, { max: 2000, plainOnly: true, required: true });
      checkText(p, block.hint, `${where}/hint`, { max: 2000, plainOnly: true });
      if (block.element === undefined) p.add("must provide an object", `${where}/element`);
      else checkElement(p, block.element, `${where}/element`);
      break;
    }
    default:
      break;
  }
}

/** Problems with a message's or a view's blocks; empty when Slack would accept them. */
export function blockProblems(
  blocks: unknown,
  surface: "message" | "modal" | "home",
  pointer: string,
): string[] {
  const p = new Problems();
  if (!Array.isArray(blocks)) {
    p.add("must provide an array", pointer);
    return p.list;
  }
  const max = surface === "message" ? 50 : 100;
  if (blocks.length > max) p.add(`no more than ${max} items allowed`, pointer);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    checkBlock(p, block, `${pointer}/${i}`, surface);
    const id = isObject(block) ? block.block_id : undefined;
    if (typeof id === "string") {
      if (blockIds.has(id)) p.add("block_id must be unique", `${pointer}/${i}/block_id`);
      blockIds.add(id);
    }
  });
  return p.list;
}

/**
 * Slack refuses a message whose blocks hold more than about 12,000 characters of text in all
 * (`msg_blocks_too_long`, undocumented: slackapi/bolt-js#2509 and #2867 saw it between ~12,000
 * and 13,300). The fake refuses past 12,000, the lowest seen, counting every \`text\` string.
 */
export const MESSAGE_BLOCKS_TEXT_MAX = 12_000;

/** Every `text` string in the blocks, in characters, as Slack sums them for msg_blocks_too_long. */
export function blocksTextLength(blocks: unknown): number {
  let total = 0;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key === "text" && typeof child === "string") total += length(child);
        else walk(child);
      }
    }
  };
  walk(blocks);
  return total;
}

/** Problems with a modal or Home tab view object. */
export function viewProblems(view: unknown): string[] {
  const p = new Problems();
  if (!isObject(view)) {
    p.add("must provide an object", "/view");
    return p.list;
  }
  if (view.type !== "modal" && view.type !== "home") {
    p.add("must be a valid enum value", "/view/type");
    return p.list;
  }
  if (view.type === "modal") {
    checkText(p, view.title, "/view/title", { max: 24, plainOnly: true, required: true });
    checkText(p, view.submit, "/view/submit", { max: 24, plainOnly: true });
    checkText(p, view.close, "/view/close", { max: 24, plainOnly: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === "input");
    if (hasInput && view.submit === undefined)
      p.add("must provide submit when the view has input blocks", "/view/submit");
  }
  checkString(p, view.private_metadata, "/view/private_metadata", 3000);
  checkString(p, view.callback_id, "/view/callback_id", 255);
  checkString(p, view.external_id, "/view/external_id", 255);
  p.list.push(...blockProblems(view.blocks, view.type, "/view/blocks"));
  return p.list;
}
