import { excludeResourceTypes, StackJson } from "../../../tools/e2e/emulator-stacks";

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
