import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";

/** Attach AWS-managed policies (paths after "arn:aws:iam::aws:policy/") to a role. */
export function attachManagedPolicies(scope: Construct, roleName: string, policies: readonly string[]): IamRolePolicyAttachment[] {
  return policies.map(
    (policy) =>
      new IamRolePolicyAttachment(scope, `policy-${policy.replace(/\//g, "-")}`, {
        role: roleName,
        policyArn: `arn:aws:iam::aws:policy/${policy}`,
      }),
  );
}
