import { block, show } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** Nodes only answer IMDSv2 (session tokens), which blocks SSRF-style credential theft. */
export const imdsv2Required: PolicyRule = {
  id: "AWS-EC2-001",
  externalIds: ["Checkov CKV_AWS_79"],
  description: "Launch templates and instances require IMDSv2 (metadata_options.http_tokens = \"required\")",
  severity: "high",
  fix: "Set metadata_options { http_tokens = \"required\" } on the launch template",
  appliesTo: ["aws_launch_template", "aws_instance"],
  check(resource) {
    const options = block(resource.attributes.metadata_options);
    if (options?.http_endpoint === "disabled") return COMPLIANT;
    return options?.http_tokens === "required"
      ? COMPLIANT
      : nonCompliant(`metadata_options.http_tokens is ${show(options?.http_tokens)} (IMDSv1 stays reachable)`);
  },
};
