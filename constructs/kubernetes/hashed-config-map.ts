import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Construct } from "constructs";
import { readFileSync } from "fs";
import { basename, resolve } from "path";
import { ConfigError } from "../errors";
import { configMapHashSuffix } from "./config-map-hash";

/** Props of {@link HashedConfigMap}. */
export interface HashedConfigMapProps {
  /** Name prefix; the content hash is appended, e.g. `payments-api-config-7h2c9mk4bt`. */
  readonly name: string;
  /** Namespace of the ConfigMap. */
  readonly namespace: string;
  /**
   * Files whose content becomes the data; each key is the file's base name (as kustomize's
   * configMapGenerator does). Relative paths resolve against the working directory.
   */
  readonly files: readonly string[];
  /** Labels on the ConfigMap. @default none */
  readonly labels?: Record<string, string>;
}

/**
 * A ConfigMap built from files and named by a hash of its content, like kustomize's
 * configMapGenerator. A change in any file changes the name, so every Deployment that mounts it
 * gets a new pod template and rolls; the old ConfigMap lives until the new one exists
 * (create before destroy) so pods still running mid-rollout keep their files.
 */
export class HashedConfigMap extends Construct {
  /** The generated name, prefix plus content hash. */
  public readonly name: string;
  /** The ConfigMap resource. */
  public readonly configMap: ConfigMapV1;

  constructor(scope: Construct, id: string, props: HashedConfigMapProps) {
    super(scope, id);
    if (props.files.length === 0) {
      throw new ConfigError(`ConfigMap "${props.name}" lists no files; add at least one file or remove the ConfigMap`, this);
    }
    const data: Record<string, string> = {};
    for (const file of props.files) {
      const key = basename(file);
      if (key in data) {
        throw new ConfigError(`ConfigMap "${props.name}" has two files named "${key}"; keys are base names, so rename one`, this);
      }
      data[key] = readConfigFile(file, props.name, this);
    }
    this.name = `${props.name}-${configMapHashSuffix(data)}`;
    this.configMap = new ConfigMapV1(this, "config-map", {
      metadata: { name: this.name, namespace: props.namespace, labels: props.labels },
      data,
      // The name changes with the content, so a ConfigMap never needs to change in place.
      immutable: true,
      lifecycle: { createBeforeDestroy: true },
    });
  }
}

function readConfigFile(file: string, configMapName: string, scope: Construct): string {
  try {
    return readFileSync(resolve(file), "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(`ConfigMap "${configMapName}" file "${file}" cannot be read (${reason}); fix the path`, scope);
  }
}
