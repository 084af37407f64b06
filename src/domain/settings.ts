import { z } from "zod";

const ZChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/);

/**
 * Settings a person changes from Slack, stored as JSON by key. Each has a schema and a
 * default; a stored value that no longer fits its schema counts as unset, never as a crash.
 */
export const SETTING_DEFINITIONS = {
  /** Where weekly summaries and monthly bulletins are posted (领导频道). */
  leadershipChannel: { key: "channel.leadership", schema: ZChannelId.nullable(), default: null },
  /** Where escalations and system notices go (督查频道). */
  supervisionChannel: { key: "channel.supervision", schema: ZChannelId.nullable(), default: null },
} as const;

export type SettingName = keyof typeof SETTING_DEFINITIONS;
export type Settings = { [K in SettingName]: z.infer<(typeof SETTING_DEFINITIONS)[K]["schema"]> };

export function readSettings(stored: ReadonlyMap<string, unknown>): Settings {
  const result: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(SETTING_DEFINITIONS)) {
    const raw = stored.get(def.key);
    const parsed = def.schema.safeParse(raw);
    result[name] = raw !== undefined && parsed.success ? parsed.data : def.default;
  }
  return result as Settings;
}
