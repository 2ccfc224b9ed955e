import { PolicyResource, StackResources, typeKey } from "./rule";

/** Where an item sits in terraform, known without resolving it. */
export interface ItemKey {
  /** {@link typeKey}: "aws_vpc", or "data.aws_vpc" for a data source. */
  readonly type: string;
  /** Terraform address, e.g. "aws_vpc.vpc_1A2B3C" or "data.aws_iam_policy_document.x"; unique in the stack. */
  readonly address: string;
}

/**
 * Index a stack's items by terraform type and address, turning an item into its synthesized
 * form only when a rule asks for it (once per item). Resolving tokens is the costly part of a
 * check, and most resources of a stack are of types no rule looks at.
 */
export function indexStack<T>(items: readonly T[], keyOf: (item: T) => ItemKey, load: (item: T) => PolicyResource | undefined): StackResources {
  const byType = new Map<string, T[]>();
  const byAddress = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    byType.set(key.type, [...(byType.get(key.type) ?? []), item]);
    byAddress.set(key.address, item);
  }
  const loaded = new Map<T, PolicyResource | undefined>();
  const get = (item: T) => {
    if (!loaded.has(item)) loaded.set(item, load(item));
    return loaded.get(item);
  };
  const present = (resource: PolicyResource | undefined): resource is PolicyResource => resource !== undefined;
  return {
    get all() {
      return items.map(get).filter(present);
    },
    ofType: (...types) => types.flatMap((type) => byType.get(type) ?? []).map(get).filter(present),
    byAddress: (address) => {
      const item = byAddress.get(address);
      return item === undefined ? undefined : get(item);
    },
  };
}

/** Index already-synthesized resources (e.g. fixtures in tests). */
export function indexResources(resources: readonly PolicyResource[]): StackResources {
  return indexStack(resources, (r) => ({ type: typeKey(r), address: r.address }), (r) => r);
}
