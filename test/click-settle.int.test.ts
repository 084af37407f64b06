import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/store/database.js";
import { createStore, type Store, settlingInboxEntry } from "../src/store/store.js";
import { freshDatabaseUrl } from "./support/harness.js";

/**
 * A stored click or command (src/slack/durable-clicks.ts) is marked done by the write that does
 * it, in the same transaction: a process that dies between that commit and a later mark would
 * otherwise leave it to another worker, which would do it again (催办 twice).
 */
const stores: Store[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
});

describe("a stored click's inbox entry", () => {
  it("is done with the transaction that does the click's work, and waits still when that rolls back", async () => {
    const store = createStore(await openDatabase(await freshDatabaseUrl()));
    stores.push(store);
    const now = new Date();
    const id = await store.acknowledging((tx) =>
      tx.inbox.acceptClaimed("click:T0SETTLE", "{}", now, new Date(now.getTime() + 60_000)),
    );
    if (id === null) throw new Error("the click was not stored");
    const waiting = async () => (await store.read((tx) => tx.inbox.backlog())).waiting;
    expect(await waiting()).toBe(1);
    // The work fails after writing: its write and the mark both roll back.
    await expect(
      settlingInboxEntry(id, () =>
        store.transaction(async (tx) => {
          await tx.settings.set("settle.test", 1, "U0TEST");
          throw new Error("the work failed");
        }),
      ),
    ).rejects.toThrow("the work failed");
    expect(await waiting()).toBe(1);
    expect(await store.read((tx) => tx.settings.get("settle.test"))).toBeFalsy();
    // A read marks nothing.
    await settlingInboxEntry(id, () => store.read((tx) => tx.settings.get("settle.test")));
    expect(await waiting()).toBe(1);
    // The work commits: the entry is done with it, with no mark of its own afterwards.
    await settlingInboxEntry(id, () =>
      store.transaction((tx) => tx.settings.set("settle.test", 2, "U0TEST")),
    );
    expect(await waiting()).toBe(0);
    expect(await store.read((tx) => tx.settings.get("settle.test"))).toBeTruthy();
    // Outside its scope nothing is marked.
    const other = await store.acknowledging((tx) =>
      tx.inbox.acceptClaimed("click:T0OTHER", "{}", now, new Date(now.getTime() + 60_000)),
    );
    expect(other).not.toBeNull();
    await store.transaction((tx) => tx.settings.set("settle.other", 1, "U0TEST"));
    expect(await waiting()).toBe(1);
  });
});
