import { PolicyResource } from "../../../constructs/policy/rule";
import { indexStack } from "../../../constructs/policy/stack-resources";
import { res } from "./fixtures";

describe("indexStack", () => {
  const items = [res("aws_vpc", "vpc", {}), res("aws_flow_log", "log", {}), res("aws_iam_policy_document", "doc", {}, "data")];

  function counted() {
    const loads: string[] = [];
    const index = indexStack(
      items,
      (r) => ({ type: r.kind === "data" ? `data.${r.type}` : r.type, address: r.address }),
      (r: PolicyResource) => {
        loads.push(r.address);
        return r;
      },
    );
    return { index, loads };
  }

  it("loads (resolves) only the items a rule asks for, each at most once", () => {
    const { index, loads } = counted();
    expect(index.ofType("aws_flow_log").map((r) => r.name)).toEqual(["log"]);
    expect(index.ofType("aws_flow_log")).toHaveLength(1);
    expect(loads).toEqual(["aws_flow_log.log"]);
  });

  it("keeps data sources apart from managed resources of the same type", () => {
    const { index } = counted();
    expect(index.ofType("aws_iam_policy_document")).toEqual([]);
    expect(index.ofType("data.aws_iam_policy_document").map((r) => r.name)).toEqual(["doc"]);
    expect(index.byAddress("data.aws_iam_policy_document.doc")?.kind).toBe("data");
  });

  it("gives stack-level rules every resource of the stack", () => {
    const { index, loads } = counted();
    expect(index.all.map((r) => r.address)).toEqual(["aws_vpc.vpc", "aws_flow_log.log", "data.aws_iam_policy_document.doc"]);
    expect(loads).toHaveLength(3);
  });
});
