import { applyOrder, excludeResourceTypes, StackJson } from "../../../tools/e2e/emulator-stacks";

const s3Backend = (key: string) => ({ backend: { s3: { bucket: "state", key } } });
const remote = (key: string) => ({ terraform_remote_state: { [key]: { backend: "s3", config: { bucket: "state", key } } } });

describe("applyOrder", () => {
  it("puts the bucket's creator first, then every stack after the states it reads", () => {
    const stacks = [
      { name: "ecr", json: { terraform: s3Backend("ecr"), data: remote("eks") } },
      { name: "eks", json: { terraform: s3Backend("eks"), data: remote("network") } },
      { name: "network", json: { terraform: s3Backend("network") } },
      { name: "state", json: { terraform: { backend: { local: { path: "x" } } }, resource: { aws_s3_bucket: { b: { bucket: "state" } } } } },
    ];
    expect(applyOrder(stacks)).toEqual(["state", "network", "eks", "ecr"]);
  });

  it("rejects a remote state that no stack in the run writes", () => {
    expect(() => applyOrder([{ name: "eks", json: { terraform: s3Backend("eks"), data: remote("missing") } }])).toThrow(
      /eks reads remote state "missing", which no stack in the run writes/,
    );
  });

  it("rejects a dependency cycle", () => {
    const stacks = [
      { name: "a", json: { terraform: s3Backend("a"), data: remote("b") } },
      { name: "b", json: { terraform: s3Backend("b"), data: remote("a") } },
    ];
    expect(() => applyOrder(stacks)).toThrow(/stack dependency cycle/);
  });
});

describe("excludeResourceTypes", () => {
  const stack: StackJson = {
    resource: {
      aws_eks_addon: { cni: { addon_name: "vpc-cni" } },
      aws_eks_node_group: { nodes: { depends_on: ["aws_eks_addon.cni", "aws_iam_role.r"] } },
      aws_iam_role: { r: {} },
    },
  };

  it("removes the types, drops depends_on edges to them and reports both, leaving the input untouched", () => {
    const { json, excluded } = excludeResourceTypes(stack, ["aws_eks_addon"]);
    expect(json.resource?.aws_eks_addon).toBeUndefined();
    expect(json.resource?.aws_eks_node_group.nodes.depends_on).toEqual(["aws_iam_role.r"]);
    expect(excluded).toEqual([{ address: "aws_eks_addon.cni", type: "aws_eks_addon", droppedDependsOn: ["aws_eks_node_group.nodes"] }]);
    expect(stack.resource?.aws_eks_addon).toBeDefined();
  });

  it("refuses to exclude a resource whose values another block uses", () => {
    const withReference: StackJson = { ...stack, output: { addon: { value: "${aws_eks_addon.cni.arn}" } } };
    expect(() => excludeResourceTypes(withReference, ["aws_eks_addon"])).toThrow(/aws_eks_addon\.cni cannot be excluded from the emulator run: other blocks reference its values/);
  });
});
