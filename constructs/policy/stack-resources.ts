import { PolicyResource, StackResources } from "./rule";

/** Index a stack's synthesized resources by type and address, for rules that look across them. */
export function indexStack(all: readonly PolicyResource[]): StackResources {
  const byType = new Map<string, PolicyResource[]>();
  const byAddress = new Map<string, PolicyResource>();
  for (const resource of all) {
    byType.set(resource.type, [...(byType.get(resource.type) ?? []), resource]);
    byAddress.set(resource.address, resource);
  }
  return {
    all,
    ofType: (...types) => types.flatMap((type) => byType.get(type) ?? []),
    byAddress: (address) => byAddress.get(address),
  };
}
