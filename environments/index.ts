import { awsTestEnvironmentSchema, AwsTestEnvironment, parseEnvironment } from "./schema";
import { testAws } from "./test-aws";

/** Every environment, parsed and validated. */
export interface Environments {
  readonly testAws: AwsTestEnvironment;
}

/** Parse every environment's config; throws a ConfigError listing every problem found. */
export function loadEnvironments(): Environments {
  return {
    testAws: parseEnvironment(awsTestEnvironmentSchema, "environments/test-aws.ts", testAws),
  };
}
