/** Inputs for the standard tag set every resource carries. */
export interface StandardTagsProps {
  /** Environment name, e.g. "test" or "prod". */
  readonly environment: string;
  /** Owning team; the EBS reaper and monitors notify this owner. */
  readonly owner: string;
  /** Finance cost center. */
  readonly costCenter: string;
  /** Repository that manages the resource, "org/repo". */
  readonly repository: string;
}

/**
 * The tags every resource in every cloud carries. Keys are lower-case kebab so they read the
 * same in AWS cost explorer, Azure cost analysis and Datadog.
 */
export function standardTags(props: StandardTagsProps): Record<string, string> {
  return {
    environment: props.environment,
    owner: props.owner,
    team: props.owner,
    "cost-center": props.costCenter,
    "managed-by": "cdktf",
    repository: props.repository,
  };
}
