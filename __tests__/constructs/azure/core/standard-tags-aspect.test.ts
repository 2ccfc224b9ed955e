import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { Aspects } from "cdktf";
import { Construct } from "constructs";
import { checkAt } from "../../../../constructs/azure/core/check-at";
import { StandardTagsAspect } from "../../../../constructs/azure/core/standard-tags-aspect";
import { ConfigError } from "../../../../constructs/errors";
import { emptyStack, resourcesOf } from "../../../helpers/synth";

describe("StandardTagsAspect", () => {
  const stack = emptyStack();
  new ResourceGroup(stack, "rg", { name: "rg", location: "westeurope", tags: { owner: "data", purpose: "x" } });
  new StorageContainer(stack, "container", { name: "c", storageAccountId: "id" });
  Aspects.of(stack).add(new StandardTagsAspect({ owner: "platform", environment: "prod" }));

  it("adds the standard tags and lets a resource's own tags win", () => {
    expect(resourcesOf(stack, "azurerm_resource_group")[0].tags).toEqual({ owner: "data", environment: "prod", purpose: "x" });
  });

  it("leaves resource types without tags alone", () => {
    expect(resourcesOf(stack, "azurerm_storage_container")[0].tags).toBeUndefined();
  });
});

describe("checkAt", () => {
  const stack = emptyStack();

  it("prefixes a path-less ConfigError with the construct path", () => {
    expect(() => checkAt(stack, () => { throw new ConfigError("bad value"); })).toThrow(/^s: bad value$/);
  });

  it("keeps an error that already names its construct", () => {
    const other = new Construct(stack, "inner");
    expect(() => checkAt(stack, () => { throw new ConfigError("bad value", other); })).toThrow(/^s\/inner: bad value$/);
    expect(() => checkAt(stack, () => { throw new Error("boom"); })).toThrow(/^boom$/);
  });
});
