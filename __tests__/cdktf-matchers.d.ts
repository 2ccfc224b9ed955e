/**
 * Types for the cdktf matchers that __tests__/setup.ts registers (Testing.setupJest calls
 * expect.extend on vitest's global expect). cdktf ships them for jest's namespace only.
 */
import type { TerraformConstructor } from "cdktf/lib/testing/matchers";
import "vitest";

interface CdktfMatchers<R = unknown> {
  toHaveResource(resourceConstructor: TerraformConstructor): R;
  toHaveResourceWithProperties(resourceConstructor: TerraformConstructor, properties: Record<string, any>): R;
  toHaveDataSource(dataSourceConstructor: TerraformConstructor): R;
  toHaveDataSourceWithProperties(dataSourceConstructor: TerraformConstructor, properties: Record<string, any>): R;
  toHaveProvider(providerConstructor: TerraformConstructor): R;
  toHaveProviderWithProperties(providerConstructor: TerraformConstructor, properties: Record<string, any>): R;
  toBeValidTerraform(): R;
  toPlanSuccessfully(): R;
}

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends CdktfMatchers<T> {}
}
