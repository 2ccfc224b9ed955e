import { IAspect, TerraformResource } from "cdktf";
import { IConstruct } from "constructs";

/** A resource whose provider schema has a `tags` map (most azurerm resources). */
interface Taggable {
  tags: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
}

function isTaggable(node: IConstruct): node is TerraformResource & Taggable {
  // Provider classes expose `tagsInput` only when the resource type accepts tags.
  return node instanceof TerraformResource && "tagsInput" in node;
}

/**
 * Puts the standard tags on every taggable resource in scope. The azurerm provider has no
 * `default_tags`, so this Aspect plays that role; tags a resource sets itself win on conflict.
 */
export class StandardTagsAspect implements IAspect {
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  /** Called by cdktf for every construct before synthesis. */
  public visit(node: IConstruct): void {
    if (!isTaggable(node)) return;
    // `tags` reads back as a token; `tagsInput` is what the resource was given.
    node.tags = { ...this.tags, ...(node.tagsInput ?? {}) };
  }
}
