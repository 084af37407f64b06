import { currentLightSetup, type LightSetup } from "../services/lights.js";
import type { SlackDeps } from "./deps.js";
import type { RenderContext } from "./render/format.js";

/**
 * The words, the time zone, the moment and the light setup, for rendering now. A service that
 * read the setup in its own transaction passes it on: on SQLite every transaction waits its
 * turn on the one connection, and with 64 commands in flight a second one for the setup was
 * a second wait in the whole queue.
 */
export async function renderContext(deps: SlackDeps, setup?: LightSetup): Promise<RenderContext> {
  setup ??= await currentLightSetup(deps.services);
  return {
    m: deps.messages,
    locale: deps.locale,
    tz: deps.services.timeZone,
    now: deps.services.clock.now(),
    ...setup,
  };
}
