import { AppError } from "../../domain/errors.js";
import { loadSettings, setChannelSetting } from "../../services/settings.js";
import { requireChannel } from "../parse.js";
import { channelSettingView, settingsView } from "../render/admin-views.js";
import type { Subcommand } from "./context.js";
import { is } from "./words.js";

/** `/ducha settings [leadership|supervision #channel]` (`设置 [领导频道|督查频道 #频道]`). */
export const settings: Subcommand = async (ctx) => {
  const m = ctx.deps.messages;
  const [which, channelToken, ...rest] = ctx.args;
  if (which === undefined) {
    return settingsView(m, await loadSettings(ctx.deps), {
      timeZone: ctx.deps.timeZone,
      locale: ctx.deps.locale,
    });
  }
  const setting = is(which, "leadership")
    ? "leadershipChannel"
    : is(which, "supervision")
      ? "supervisionChannel"
      : null;
  if (!setting) throw new AppError("usage", { usage: "settings", detail: which });
  if (channelToken === undefined || rest.length > 0)
    throw new AppError("usage", { usage: "settingsChannel" });
  const channelId = requireChannel(channelToken);
  const { channelStatus } = await setChannelSetting(ctx.deps, { actor: ctx.userId, setting, channelId });
  const label =
    setting === "leadershipChannel" ? m.settings.leadershipChannel : m.settings.supervisionChannel;
  return channelSettingView(m, { label, channelId, channelStatus });
};
