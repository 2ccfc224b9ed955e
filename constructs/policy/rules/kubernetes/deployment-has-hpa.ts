import { show } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";
import { DEPLOYMENT_TYPES, HPA_TYPES, metadataOf, targetsDeployment } from "./pod-spec";

/** Company policy: every service scales on load; a fixed replica count is an outage waiting for traffic. */
export const deploymentHasHpa: PolicyRule = {
  id: "K8S-008",
  externalIds: ["Kyverno check-hpa-exists"],
  description: "Every Deployment is the scale target of a HorizontalPodAutoscaler",
  severity: "high",
  fix: "Deploy the service with Workload (it always creates an HPA v2), or add an HPA whose scale_target_ref names the Deployment",
  appliesTo: DEPLOYMENT_TYPES,
  check(deployment, stack) {
    const scaled = stack.ofType(...HPA_TYPES).some((hpa) => targetsDeployment(hpa, deployment));
    return scaled ? COMPLIANT : nonCompliant(`no HPA targets Deployment ${show(metadataOf(deployment).name)}`);
  },
};
