/**
 * Load for the benchmark: requests sent by the fake Slack with a fixed number in flight, each
 * timed from leaving the fake Slack to its HTTP acknowledgement and, for commands, to the
 * answer at its response_url.
 */
import type { FakeSlack } from "../test/fake-slack/fake-slack.js";

export interface Timed {
  kind: string;
  ackMs: number;
  /** To the answer (a command's reply at its response_url); absent when there is none to wait for. */
  answerMs?: number;
  /** Not acknowledged with 200 within Slack's deadline. */
  failed?: boolean;
}

/** Runs `total` calls of `one`, at most `concurrency` at a time; returns them and the wall time. */
export async function inFlight<T>(
  total: number,
  concurrency: number,
  one: (i: number) => Promise<T>,
): Promise<{ results: T[]; seconds: number }> {
  const results: T[] = new Array(total);
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      results[i] = await one(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  return { results, seconds: (performance.now() - started) / 1000 };
}

/** Waits (polling) until `check` holds, up to `ms`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  every = 5,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/** A slash command: its acknowledgement, and its answer at the response_url (or in the ack itself). */
export async function timedCommand(
  slack: FakeSlack,
  user: string,
  channel: string,
  text: string,
  kind: string,
) {
  const sent = Date.now();
  const delivery = await slack.command(user, channel, text);
  const ackMs = Date.now() - sent;
  const immediate = delivery.body !== undefined && delivery.body !== "" && delivery.body !== null;
  if (delivery.status !== 200 || delivery.timedOut) return { kind, ackMs, failed: true } satisfies Timed;
  const url = delivery.responseUrl ?? "";
  try {
    await until(() => immediate || slack.responseUsedAt(url) !== undefined, 60_000, `the answer to ${text}`);
  } catch {
    return { kind, ackMs, failed: true } satisfies Timed;
  }
  const answeredAt = immediate ? sent + ackMs : (slack.responseUsedAt(url) ?? Date.now());
  return { kind, ackMs, answerMs: answeredAt - sent } satisfies Timed;
}

export function percentile(samples: readonly number[], q: number): number {
  if (!samples.length) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}
