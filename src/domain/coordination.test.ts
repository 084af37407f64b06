import { describe, expect, it } from "vitest";
import { readCoordinationAsks } from "./coordination.js";

const DEPARTMENTS = [
  { id: 1, name: "市财政局", aliases: ["财政局"] },
  { id: 2, name: "市住房和城乡建设局", aliases: ["住建局"] },
  { id: 3, name: "市交通运输局", aliases: ["交通局"] },
];
const read = (text: string, leadId = 3) => readCoordinationAsks(text, DEPARTMENTS, { leadId });

describe("a blocker report asking another department for help", () => {
  it("names the department, with the sentence that asks as what is needed", () => {
    expect(read("进度40%。站台改造清单迟迟未定，需住建局协调提供改造清单。其余按计划推进")).toEqual([
      { departmentId: 2, need: "站台改造清单迟迟未定，需住建局协调提供改造清单。" },
    ]);
    expect(read("资金缺口较大，请市财政局尽快拨付；住建局需配合出具验收意见")).toEqual([
      { departmentId: 1, need: "资金缺口较大，请市财政局尽快拨付；" },
      { departmentId: 2, need: "住建局需配合出具验收意见" },
    ]);
  });

  it("asks nothing of a name under a negation, of a settled one, or of the lead itself", () => {
    expect(read("本项工作无需住建局配合，但人手不足，推进困难")).toEqual([]);
    expect(read("不需要财政局协调，问题在于审批")).toEqual([]);
    expect(read("与财政局已协调好，资金问题已解决")).toEqual([]);
    expect(read("交通局内部人手紧张，推进困难")).toEqual([]);
    expect(read("需省厅协调")).toEqual([]);
  });

  it("asks each department once, however often it is named", () => {
    expect(read("需住建局提供清单。住建局迟迟未回复。")).toEqual([
      { departmentId: 2, need: "需住建局提供清单。" },
    ]);
  });
});
