import { readSettings, SETTING_DEFINITIONS, type Settings } from "../domain/settings.js";
import { requireAdmin } from "./access.js";
import type { ChannelStatus, ServiceDeps } from "./ports.js";

export async function loadSettings(deps: Pick<ServiceDeps, "store">): Promise<Settings> {
  return readSettings(await deps.store.read((r) => r.settings.all()));
}

export type ChannelSetting = "leadershipChannel" | "supervisionChannel";

export async function setChannelSetting(
  deps: ServiceDeps,
  input: { actor: string; setting: ChannelSetting; channelId: string },
): Promise<{ channelStatus: ChannelStatus }> {
  const def = SETTING_DEFINITIONS[input.setting];
  await deps.store.transaction(async (tx) => {
    await requireAdmin(deps, tx, input.actor);
    const before = await tx.settings.get(def.key);
    await tx.settings.set(def.key, input.channelId, input.actor);
    await tx.events.append({
      at: deps.clock.now(),
      actor: input.actor,
      type: "setting.changed",
      before: { [def.key]: before ?? null },
      after: { [def.key]: input.channelId },
    });
  });
  return { channelStatus: await deps.slack.channelStatus(input.channelId) };
}
