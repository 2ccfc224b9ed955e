import { DEFAULT_PACKS } from "../../../../constructs/policy/packs";
import { typeKey } from "../../../../constructs/policy/rule";
import { evaluate, res } from "../fixtures";
import { AWS_CASES } from "./aws-cases";
import { AZURE_CASES } from "./azure-cases";
import { KUBERNETES_CASES } from "./kubernetes-cases";
import { pdbAllowsDrain } from "../../../../constructs/policy/rules/kubernetes/pdb-allows-drain";
import { iamNoAdminWildcard } from "../../../../constructs/policy/rules/aws/iam-no-admin-wildcard";
import { vpnP2sEntra } from "../../../../constructs/policy/rules/azure/vpn-p2s-entra";

const CASES = [...AWS_CASES, ...AZURE_CASES, ...KUBERNETES_CASES];
const RULES = DEFAULT_PACKS.flatMap((pack) => pack.rules);

describe("policy rules", () => {
  it("ship at least 30 rules with unique ids, each with compliant and non-compliant cases", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    // Every rule has at least one case (rules covering several resource types have one per type).
    expect([...new Set(CASES.map((c) => c.rule.id))].sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  describe.each(CASES.map((c) => [c.rule.id, c] as const))("%s", (_id, c) => {
    it("passes the compliant case", () => {
      expect(evaluate(c.rule, c.compliant)).toEqual({ status: "compliant" });
    });

    it("flags the non-compliant case with a message naming the problem", () => {
      const outcome = evaluate(c.rule, c.nonCompliant);
      expect(outcome.status).toBe("non-compliant");
      expect(outcome.status === "non-compliant" && outcome.message).toMatch(c.message);
    });

    it("declares what a report needs: description, fix and the types it inspects", () => {
      expect(c.rule.description.length).toBeGreaterThan(10);
      expect(c.rule.fix.length).toBeGreaterThan(10);
      expect(c.rule.appliesTo).toContain(typeKey(c.compliant.target));
      expect(c.rule.appliesTo).toContain(typeKey(c.nonCompliant.target));
    });
  });

  it("treats a policy that references a policy document as checked on the document (not twice)", () => {
    const role = res("aws_iam_role_policy", "p", { policy: "${data.aws_iam_policy_document.doc.json}" });
    expect(evaluate(iamNoAdminWildcard, { target: role })).toEqual({ status: "not-applicable" });
  });

  it("does not apply P2S rules to a gateway without point-to-site", () => {
    const gateway = res("azurerm_virtual_network_gateway", "gw", { type: "Vpn", sku: "VpnGw2AZ" });
    expect(evaluate(vpnP2sEntra, { target: gateway })).toEqual({ status: "not-applicable" });
  });

  it("flags a PDB with max_unavailable 0% even without knowing the deployment", () => {
    const pdb = res("kubernetes_pod_disruption_budget_v1", "pdb", { spec: { max_unavailable: "0%", selector: { match_labels: { app: "x" } } } });
    const outcome = evaluate(pdbAllowsDrain, { target: pdb });
    expect(outcome.status === "non-compliant" && outcome.message).toMatch(/max_unavailable is "0%"/);
  });
});
