import { stackOrder } from "../../tools/stack-order";

describe("stackOrder", () => {
  const manifest = {
    stacks: {
      "test-aws-ecr": { dependencies: ["test-aws-eks"] },
      "test-aws-eks": { dependencies: ["test-aws-network"] },
      "test-aws-network": { dependencies: [] },
      "test-aws-state": {},
      "prod-azure-aks": { dependencies: ["prod-azure-network"] },
      "prod-azure-network": {},
    },
  };

  it("lists only the environment's stacks, each after the stacks it depends on", () => {
    expect(stackOrder(manifest, "test-aws")).toEqual(["test-aws-network", "test-aws-eks", "test-aws-ecr", "test-aws-state"]);
    expect(stackOrder(manifest, "prod-azure")).toEqual(["prod-azure-network", "prod-azure-aks"]);
  });

  it("rejects a cycle", () => {
    expect(() => stackOrder({ stacks: { "t-aws-a": { dependencies: ["t-aws-b"] }, "t-aws-b": { dependencies: ["t-aws-a"] } } }, "t-aws")).toThrow(/stack dependency cycle/);
  });
});
