import { strings } from "../../attributes";
import { fromProblems, PolicyRule } from "../../rule";

const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** EKS ships every control-plane log type to CloudWatch. */
export const eksControlPlaneLogs: PolicyRule = {
  id: "AWS-EKS-002",
  externalIds: ["Checkov CKV_AWS_37"],
  description: "EKS clusters enable all control-plane log types",
  severity: "medium",
  fix: `Set enabled_cluster_log_types = ${JSON.stringify(LOG_TYPES)}`,
  appliesTo: ["aws_eks_cluster"],
  check(resource) {
    const enabled = strings(resource.attributes.enabled_cluster_log_types);
    const missing = LOG_TYPES.filter((type) => !enabled.includes(type));
    return fromProblems(missing.length ? [`enabled_cluster_log_types lacks ${missing.join(", ")}`] : []);
  },
};
