import { refersTo } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** Every VPC records its traffic, for incident response and anomaly detection. */
export const vpcFlowLogs: PolicyRule = {
  id: "AWS-VPC-001",
  externalIds: ["Checkov CKV2_AWS_11"],
  description: "Every VPC has a flow log",
  severity: "medium",
  fix: "Add an aws_flow_log with vpc_id = <the VPC id> and traffic_type = \"ALL\"",
  appliesTo: ["aws_vpc"],
  check(vpc, stack) {
    const logged = stack.ofType("aws_flow_log").some((log) => refersTo(log.attributes.vpc_id, vpc));
    return logged ? COMPLIANT : nonCompliant("no aws_flow_log references this VPC");
  },
};
