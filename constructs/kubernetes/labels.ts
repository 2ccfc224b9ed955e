/** Label key every Workload selects its pods by; NetworkPolicies and PDBs match on it too. */
export const NAME_LABEL = "app.kubernetes.io/name";

/** Label naming the team that owns a namespace or workload. */
export const TEAM_LABEL = "platform.fintech.io/team";

/** Annotation on an HPA holding the reason it may run fewer than two replicas (checked at synth). */
export const MIN_REPLICAS_REASON_ANNOTATION = "platform.fintech.io/min-replicas-reason";

// Kubernetes object names used as DNS labels: the strictest rule, so they fit Services too.
const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Whether `name` is a valid RFC 1035 DNS label (what Services and Namespaces require). */
export function isDnsLabel(name: string): boolean {
  return DNS_LABEL.test(name);
}

/** The labels every object of a workload carries: selector label, team and manager. */
export function workloadLabels(name: string, team: string | undefined): Record<string, string> {
  return {
    [NAME_LABEL]: name,
    "app.kubernetes.io/managed-by": "cdktf",
    ...(team ? { [TEAM_LABEL]: team } : {}),
  };
}
