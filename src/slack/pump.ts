import { forNoOne } from "../i18n/person.js";
import type { Inflight } from "./inflight.js";

/**
 * The loop behind a worker (the inbox's, the outbox's): runs one round at a time when kicked;
 * a kick during a round runs another right after it; after a round, the next is run in the
 * milliseconds the round answered (0: at once), unless kicked sooner. Each round counts as work
 * under way, so shutdown waits for it, and speaks for the office, not for whoever kicked it.
 */
export class Pump {
  readonly #round: () => Promise<number>;
  readonly #inflight: Inflight;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  #timer: NodeJS.Timeout | undefined;

  /** `round` does the work there is and answers when to look again (ms). */
  constructor(round: () => Promise<number>, inflight: Inflight) {
    this.#round = round;
    this.#inflight = inflight;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  start(): void {
    this.#stopped = false;
    this.kick();
  }

  /** No new round; the one under way is waited for. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Something to do: a round now, or right after the one under way. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    const end = this.#inflight.begin();
    this.#running = forNoOne(() => this.#rounds()).finally(() => {
      this.#running = undefined;
      end();
    });
  }

  /** Resolves when the round under way, if any, is over. */
  async idle(): Promise<void> {
    await this.#running;
  }

  async #rounds(): Promise<void> {
    for (;;) {
      this.#again = false;
      let nextInMs: number;
      try {
        nextInMs = await this.#round();
      } catch {
        // A round reports its own failures; one that escapes is tried again shortly.
        nextInMs = 1_000;
      }
      if (this.#stopped) return;
      if (this.#again || nextInMs <= 0) continue;
      this.#timer = setTimeout(() => this.kick(), nextInMs);
      this.#timer.unref();
      return;
    }
  }
}
