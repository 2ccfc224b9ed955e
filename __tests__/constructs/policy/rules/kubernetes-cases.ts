import { containerProbes } from "../../../../constructs/policy/rules/kubernetes/container-probes";
import { containerResources } from "../../../../constructs/policy/rules/kubernetes/container-resources";
import { deploymentHasHpa } from "../../../../constructs/policy/rules/kubernetes/deployment-has-hpa";
import { dropAllCapabilities } from "../../../../constructs/policy/rules/kubernetes/drop-all-capabilities";
import { hpaMinReplicas } from "../../../../constructs/policy/rules/kubernetes/hpa-min-replicas";
import { noPrivilegeEscalation } from "../../../../constructs/policy/rules/kubernetes/no-privilege-escalation";
import { pdbAllowsDrain } from "../../../../constructs/policy/rules/kubernetes/pdb-allows-drain";
import { readOnlyRootFilesystem } from "../../../../constructs/policy/rules/kubernetes/read-only-root-filesystem";
import { runAsNonRoot } from "../../../../constructs/policy/rules/kubernetes/run-as-non-root";
import { seccompRuntimeDefault } from "../../../../constructs/policy/rules/kubernetes/seccomp-runtime-default";
import { res, RuleCases } from "../fixtures";

const SECURE_CONTEXT = { run_as_non_root: true, read_only_root_filesystem: true, allow_privilege_escalation: false, capabilities: { drop: ["ALL"] } };
const GOOD_CONTAINER = {
  name: "app",
  image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/payments-api:1.4.2",
  resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
  readiness_probe: { http_get: { path: "/ready", port: "8080" } },
  liveness_probe: { http_get: { path: "/live", port: "8080" } },
  security_context: SECURE_CONTEXT,
};
const deployment = (container: Record<string, unknown>, podSecurity: Record<string, unknown> = { seccomp_profile: { type: "RuntimeDefault" } }, replicas = "2") =>
  res("kubernetes_deployment_v1", "api", {
    metadata: { name: "payments-api", namespace: "payments" },
    spec: {
      replicas,
      selector: { match_labels: { app: "payments-api" } },
      template: {
        metadata: { labels: { app: "payments-api" } },
        spec: { security_context: podSecurity, container: [{ ...GOOD_CONTAINER, ...container }] },
      },
    },
  });
const hpa = (spec: Record<string, unknown>) =>
  res("kubernetes_horizontal_pod_autoscaler_v2", "hpa", {
    metadata: { name: "payments-api", namespace: "payments" },
    spec: { max_replicas: 10, scale_target_ref: { api_version: "apps/v1", kind: "Deployment", name: "${kubernetes_deployment_v1.api.metadata[0].name}" }, ...spec },
  });
const pdb = (spec: Record<string, unknown>) =>
  res("kubernetes_pod_disruption_budget_v1", "pdb", {
    metadata: { name: "payments-api", namespace: "payments" },
    spec: { selector: { match_labels: { app: "payments-api" } }, ...spec },
  });

/** One compliant and one non-compliant case per Kubernetes rule. */
export const KUBERNETES_CASES: RuleCases[] = [
  {
    rule: containerResources,
    compliant: { target: deployment({}) },
    nonCompliant: { target: deployment({ resources: { requests: { cpu: "250m", memory: "256Mi" } } }) },
    message: /container "app" lacks limits\.memory/,
  },
  {
    rule: containerProbes,
    compliant: { target: deployment({}) },
    nonCompliant: { target: deployment({ readiness_probe: undefined }) },
    message: /container "app" has no readiness_probe/,
  },
  {
    rule: runAsNonRoot,
    compliant: { target: deployment({ security_context: { ...SECURE_CONTEXT, run_as_non_root: undefined } }, { run_as_non_root: true, seccomp_profile: { type: "RuntimeDefault" } }) },
    nonCompliant: { target: deployment({ security_context: { ...SECURE_CONTEXT, run_as_non_root: false } }, { run_as_non_root: true }) },
    message: /container "app" may run as root/,
  },
  {
    rule: readOnlyRootFilesystem,
    compliant: { target: deployment({}) },
    nonCompliant: { target: deployment({ security_context: { ...SECURE_CONTEXT, read_only_root_filesystem: false } }) },
    message: /writable root filesystem/,
  },
  {
    rule: noPrivilegeEscalation,
    compliant: { target: deployment({}) },
    nonCompliant: { target: deployment({ security_context: { ...SECURE_CONTEXT, allow_privilege_escalation: undefined } }) },
    message: /allows privilege escalation/,
  },
  {
    rule: dropAllCapabilities,
    compliant: { target: deployment({}) },
    nonCompliant: { target: deployment({ security_context: { ...SECURE_CONTEXT, capabilities: { drop: ["NET_RAW"] } } }) },
    message: /does not drop ALL capabilities/,
  },
  {
    rule: seccompRuntimeDefault,
    compliant: { target: deployment({}) },
    nonCompliant: { target: deployment({}, { seccomp_profile: { type: "Unconfined" } }) },
    message: /without a confining seccomp profile/,
  },
  {
    rule: deploymentHasHpa,
    compliant: { target: deployment({}), others: [hpa({ min_replicas: 2 })] },
    nonCompliant: {
      target: deployment({}),
      others: [res("kubernetes_horizontal_pod_autoscaler_v2", "other", { metadata: { name: "w" }, spec: { scale_target_ref: { kind: "Deployment", name: "worker" } } })],
    },
    message: /no HPA targets Deployment "payments-api"/,
  },
  {
    rule: hpaMinReplicas,
    compliant: { target: hpa({ min_replicas: 2 }) },
    nonCompliant: { target: hpa({}) },
    message: /min_replicas is 1/,
  },
  {
    rule: pdbAllowsDrain,
    compliant: { target: pdb({ max_unavailable: "1" }), others: [deployment({}), hpa({ min_replicas: 2 })] },
    nonCompliant: { target: pdb({ min_available: 2 }), others: [deployment({}), hpa({ min_replicas: 2 })] },
    message: /min_available 2 needs 2 of the 2 pod\(s\) Deployment "payments-api" may run with/,
  },
];
