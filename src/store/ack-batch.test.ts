import { describe, expect, it } from "vitest";
import { AckBatch, eachApart } from "./ack-batch.js";

describe("acknowledging writes committed together", () => {
  it("writes the first at once and the ones arriving meanwhile in the next batch, each answered with its own outcome", async () => {
    const batches: number[] = [];
    let open: (() => void) | undefined;
    const batch = new AckBatch<string>(async (works) => {
      batches.push(works.length);
      // The first batch is held until the test lets it commit.
      if (batches.length === 1) await new Promise<void>((resolve) => (open = resolve));
      return eachApart("tx", works);
    });
    const first = batch.add(async (tx) => `${tx}:0`);
    const rest = Array.from({ length: 30 }, (_, i) =>
      batch.add(async (tx) => {
        if (i === 7) throw new Error("this statement failed");
        return `${tx}:${i + 1}`;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    open?.();
    expect(await first).toBe("tx:0");
    const outcomes = await Promise.allSettled(rest);
    expect(batches).toEqual([1, 30]);
    expect(outcomes.filter((o) => o.status === "rejected")).toHaveLength(1);
    expect(outcomes[7]).toMatchObject({ status: "rejected" });
    expect(outcomes[8]).toEqual({ status: "fulfilled", value: "tx:9" });
  });

  it("fails every request of a batch whose commit failed, and goes on with the next", async () => {
    let calls = 0;
    const batch = new AckBatch<null>(async (works) => {
      calls++;
      if (calls === 1) throw new Error("SQLITE_FULL");
      return eachApart(null, works);
    });
    const lost = batch.add(async () => 1);
    await expect(lost).rejects.toThrow("SQLITE_FULL");
    expect(await batch.add(async () => 2)).toBe(2);
  });

  it("splits a burst into batches of at most `max`", async () => {
    const batches: number[] = [];
    const batch = new AckBatch<null>(async (works) => {
      batches.push(works.length);
      return eachApart(null, works);
    }, 10);
    await Promise.all(Array.from({ length: 25 }, (_, i) => batch.add(async () => i)));
    expect(batches).toEqual([1, 10, 10, 4]);
  });
});
