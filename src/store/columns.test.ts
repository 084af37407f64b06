import { describe, expect, it } from "vitest";
import { cause, taskState } from "./columns.js";

describe("a column read back into the domain's types", () => {
  it("passes the values this build knows", () => {
    expect(taskState("pending_review")).toBe("pending_review");
    expect(cause(null)).toBeNull();
    expect(cause("funding")).toBe("funding");
  });

  it("refuses one it does not know, naming the column", () => {
    expect(() => taskState("archived")).toThrow(/"archived" in Task.state/);
    expect(() => cause("weather")).toThrow(/Report.cause/);
  });
});
