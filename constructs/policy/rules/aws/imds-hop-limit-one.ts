import { block, show } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/**
 * IMDS answers stop at the node: with a response hop limit above 1 a pod (one hop further, in
 * its own network namespace) can fetch the node role's credentials and act as the node.
 */
export const imdsHopLimitOne: PolicyRule = {
  id: "AWS-EC2-002",
  externalIds: [],
  description: "Launch templates set metadata_options.http_put_response_hop_limit = 1 so pods cannot take the node role",
  severity: "high",
  fix: "Set metadata_options { http_put_response_hop_limit = 1 } (ManagedNodeGroup does by default); a node group that truly needs node credentials sets imdsHopLimit 2 with imdsHopLimitReason",
  appliesTo: ["aws_launch_template", "aws_instance"],
  check(resource) {
    const options = block(resource.attributes.metadata_options);
    if (options?.http_endpoint === "disabled") return COMPLIANT;
    const limit = options?.http_put_response_hop_limit;
    return limit === 1 || limit === "1"
      ? COMPLIANT
      : nonCompliant(`metadata_options.http_put_response_hop_limit is ${show(limit)} (pods can reach IMDS and the node role's credentials)`);
  },
};
