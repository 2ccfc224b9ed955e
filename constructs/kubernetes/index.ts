/**
 * Cloud-neutral Kubernetes constructs: `Workload` (a service with the safe shape by default),
 * `TeamNamespace`, the synth-time consistency checks and exec-plugin cluster access.
 * Every module deep-imports only the kubernetes provider resources it uses.
 */
export * from "./cluster-access";
export * from "./config-map-hash";
export * from "./hashed-config-map";
export * from "./image-reference";
export * from "./labels";
export * from "./probe";
export * from "./quantity";
export * from "./team-namespace";
export * from "./workload";
export * from "./workload-consistency";
export * from "./workload-network-policy";
