import { Construct } from "constructs";
import { TeamNamespace } from "../../constructs/kubernetes/team-namespace";
import { Workload } from "../../constructs/kubernetes/workload";
import { WorkloadsConfig } from "../../environments/schema";

/** What {@link deployWorkloads} built. */
export interface DeployedWorkloads {
  /** Team namespaces by name. */
  readonly namespaces: Record<string, TeamNamespace>;
  /** Workloads by `<namespace>/<name>`. */
  readonly workloads: Record<string, Workload>;
}

/**
 * Build an environment's team namespaces and services from its `workloads` config, the same way
 * on every cloud: each service becomes a Workload in its TeamNamespace, its image taken from
 * `registry`. The schema has already checked that each service's namespace is defined.
 */
export function deployWorkloads(scope: Construct, config: WorkloadsConfig, registry: string): DeployedWorkloads {
  const namespaces: Record<string, TeamNamespace> = {};
  for (const ns of config.namespaces) {
    namespaces[ns.name] = new TeamNamespace(scope, `namespace-${ns.name}`, ns);
  }
  const workloads: Record<string, Workload> = {};
  for (const service of config.services) {
    const { allowIngressController, egressToDatabases, ...network } = service.network ?? {};
    // A database is reached at its endpoint and port only (names checked by the schema).
    const databaseEgress = (egressToDatabases ?? []).map((name) => {
      const db = config.databases.find((d) => d.name === name)!;
      return { cidr: db.cidr, ports: [{ port: db.port, protocol: "TCP" as const }] };
    });
    workloads[`${service.namespace}/${service.name}`] = new Workload(scope, `${service.namespace}-${service.name}`, {
      ...service,
      namespace: namespaces[service.namespace].name,
      image: { ...service.image, repository: `${registry}/${service.image.repository}` },
      network: {
        ...network,
        egressToCidrs: [...(network.egressToCidrs ?? []), ...databaseEgress],
        ingressController: allowIngressController ? config.ingressController : undefined,
      },
    });
  }
  return { namespaces, workloads };
}
