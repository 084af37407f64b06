import { currentLightSetup } from "../services/lights.js";
import type { SlackDeps } from "./deps.js";
import type { RenderContext } from "./render/format.js";

/** The words, the time zone, the moment and the light setup, for rendering now. */
export async function renderContext(deps: SlackDeps): Promise<RenderContext> {
  const setup = await currentLightSetup(deps);
  return { m: deps.messages, locale: deps.locale, tz: deps.timeZone, now: deps.clock.now(), ...setup };
}
