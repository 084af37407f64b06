import { describe, expect, it } from "vitest";
import { owe, problemKeys } from "./outbox.js";

describe("the keys of delivery-problem notices", () => {
  it("are a cause and a recipient, read back into the cause whatever the cause holds", () => {
    const causes = [
      problemKeys.blocked("C0FINANCE"),
      problemKeys.refused("missing_scope", "reactions:write"),
      problemKeys.refused("invalid_auth", "2026-12-01T01:00:00.000Z"),
    ];
    for (const cause of causes) {
      const { key } = owe.deliveryProblem(cause, "U0ADMIN01", { code: "x", failedKind: "text" });
      expect(problemKeys.isNotice(key)).toBe(true);
      expect(problemKeys.causeOf(key)).toBe(cause);
    }
    expect(problemKeys.isNotice("card:12")).toBe(false);
    expect(problemKeys.kinds.every((kind) => causes.some((c) => c.startsWith(kind)))).toBe(true);
  });
});
