import { block, isFalse, strings } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

const ANYWHERE = ["0.0.0.0/0", "::/0"];

/** The EKS API is private, or public only to an allow-list (AWS defaults to the whole internet). */
export const eksEndpointRestricted: PolicyRule = {
  id: "AWS-EKS-003",
  externalIds: ["Checkov CKV_AWS_38", "Checkov CKV_AWS_39"],
  description: "EKS public API endpoint is off or restricted to listed CIDRs (never 0.0.0.0/0)",
  severity: "high",
  fix: "Set vpc_config.endpoint_public_access = false, or list the allowed networks in vpc_config.public_access_cidrs",
  appliesTo: ["aws_eks_cluster"],
  check(resource) {
    const vpc = block(resource.attributes.vpc_config) ?? {};
    if (isFalse(vpc.endpoint_public_access)) return COMPLIANT;
    const cidrs = strings(vpc.public_access_cidrs);
    if (cidrs.length === 0) return nonCompliant("public endpoint is open and public_access_cidrs is unset (AWS default 0.0.0.0/0)");
    const open = cidrs.filter((cidr) => ANYWHERE.includes(cidr));
    return open.length ? nonCompliant(`public_access_cidrs includes ${open.join(", ")}`) : COMPLIANT;
  },
};
