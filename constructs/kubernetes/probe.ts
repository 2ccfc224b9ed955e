import { DeploymentV1SpecTemplateSpecContainerReadinessProbe } from "@cdktf/provider-kubernetes/lib/deployment-v1";

/** Timings shared by every probe kind; unset values take the Kubernetes defaults. */
export interface ProbeTimings {
  /** Seconds after start before the first probe. */
  readonly initialDelaySeconds?: number;
  /** Seconds between probes. */
  readonly periodSeconds?: number;
  /** Seconds before a probe times out. */
  readonly timeoutSeconds?: number;
  /** Consecutive failures before the probe counts as failed. */
  readonly failureThreshold?: number;
}

/** An HTTP GET probe; 2xx/3xx is healthy. */
export interface HttpProbe extends ProbeTimings {
  /** Selects an HTTP GET probe (`httpGet`). */
  readonly type: "http";
  /** Path, e.g. `/healthz`. */
  readonly path: string;
  /** Port. @default the workload's port */
  readonly port?: number;
}

/** A TCP connect probe. */
export interface TcpProbe extends ProbeTimings {
  /** Selects a TCP connect probe (`tcpSocket`): healthy once the port accepts connections. */
  readonly type: "tcp";
  /** Port. @default the workload's port */
  readonly port?: number;
}

/** A command run in the container; exit 0 is healthy. */
export interface ExecProbe extends ProbeTimings {
  /** Selects a command probe (`exec`). */
  readonly type: "exec";
  /** Command and arguments, no shell. */
  readonly command: readonly string[];
}

/** A readiness, liveness or startup probe. */
export type ProbeProps = HttpProbe | TcpProbe | ExecProbe;

/**
 * The provider's probe block for `probe`. Readiness, liveness and startup blocks have the same
 * shape in the provider, so one builder serves all three.
 */
export function probeBlock(probe: ProbeProps, defaultPort: number): DeploymentV1SpecTemplateSpecContainerReadinessProbe {
  const timings = {
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds,
    timeoutSeconds: probe.timeoutSeconds,
    failureThreshold: probe.failureThreshold,
  };
  switch (probe.type) {
    case "http":
      return { ...timings, httpGet: { path: probe.path, port: String(probe.port ?? defaultPort) } };
    case "tcp":
      return { ...timings, tcpSocket: [{ port: String(probe.port ?? defaultPort) }] };
    case "exec":
      return { ...timings, exec: { command: [...probe.command] } };
  }
}
