import { z } from "zod";

/**
 * `view.state.values[block_id][action_id]` as Slack sends it, read with zod: Bolt types it
 * loosely, and a modal submitted by an older version of the bot may lack a field.
 */
const ZOption = z.object({ value: z.string() });
const ZElementState = z
  .object({
    type: z.string(),
    value: z.string().nullish(),
    selected_option: ZOption.nullish(),
    selected_options: z.array(ZOption).nullish(),
    selected_user: z.string().nullish(),
    selected_users: z.array(z.string()).nullish(),
    selected_conversation: z.string().nullish(),
    selected_channel: z.string().nullish(),
    selected_date: z.string().nullish(),
    selected_time: z.string().nullish(),
  })
  .passthrough();

export const ZViewState = z.object({
  values: z.record(z.string(), z.record(z.string(), ZElementState)),
});
export type ViewState = z.infer<typeof ZViewState>;

/** Reads one input, whose block_id and action_id are the same id. */
export class StateReader {
  readonly #values: ViewState["values"];

  constructor(state: unknown) {
    this.#values = ZViewState.parse(state ?? { values: {} }).values;
  }

  #element(id: string) {
    return this.#values[id]?.[id];
  }

  has(id: string): boolean {
    return this.#element(id) !== undefined;
  }

  text(id: string): string | undefined {
    const value = this.#element(id)?.value;
    return value === null || value === undefined ? undefined : value;
  }

  option(id: string): string | undefined {
    return this.#element(id)?.selected_option?.value ?? undefined;
  }

  options(id: string): string[] {
    return this.#element(id)?.selected_options?.map((o) => o.value) ?? [];
  }

  user(id: string): string | undefined {
    return this.#element(id)?.selected_user ?? undefined;
  }

  date(id: string): string | undefined {
    return this.#element(id)?.selected_date ?? undefined;
  }

  time(id: string): string | undefined {
    return this.#element(id)?.selected_time ?? undefined;
  }
}

/** private_metadata, parsed with the schema the view was built with. */
export function readMeta<T>(schema: z.ZodType<T>, raw: string | undefined): T {
  return schema.parse(JSON.parse(raw || "{}"));
}
