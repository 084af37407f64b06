import { describe, expect, it } from "vitest";
import { Lane } from "./lane.js";

describe("the line of PostgreSQL's writes", () => {
  it("runs one at a time, and gives the inbox every other turn while the rest wait", async () => {
    const lane = new Lane();
    const order: string[] = [];
    let running = 0;
    const write = async (name: string, turn: "inbox" | "rest") => {
      const release = await lane.acquire(turn);
      running++;
      expect(running).toBe(1);
      order.push(name);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
      release();
    };
    // Five other writes queued before the inbox's three: the inbox does not wait for all five.
    await Promise.all([
      write("r1", "rest"),
      write("r2", "rest"),
      write("r3", "rest"),
      write("r4", "rest"),
      write("r5", "rest"),
      write("i1", "inbox"),
      write("i2", "inbox"),
      write("i3", "inbox"),
    ]);
    expect(order).toEqual(["r1", "i1", "r2", "i2", "r3", "i3", "r4", "r5"]);
    expect(lane.waiting).toEqual({ inbox: 0, rest: 0 });
  });

  it("keeps one side's order when the other has nothing waiting", async () => {
    const lane = new Lane();
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        const release = await lane.acquire("inbox");
        order.push(n);
        await Promise.resolve();
        release();
      }),
    );
    expect(order).toEqual([1, 2, 3, 4]);
  });
});
