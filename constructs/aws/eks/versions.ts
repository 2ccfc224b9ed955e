/** Kubernetes minor versions EKS offers in standard or extended support when this was written. */
export const EKS_VERSIONS = ["1.30", "1.31", "1.32", "1.33", "1.34"] as const;
