import { awsTestEnvironmentSchema, AwsTestEnvironment, azureProdEnvironmentSchema, AzureProdEnvironment, parseEnvironment } from "./schema";
import { prodAzure } from "./prod-azure";
import { testAws } from "./test-aws";

/** Every environment, parsed and validated. */
export interface Environments {
  readonly testAws: AwsTestEnvironment;
  readonly prodAzure: AzureProdEnvironment;
}

/** Parse every environment's config; throws a ConfigError listing every problem found. */
export function loadEnvironments(): Environments {
  return {
    testAws: parseEnvironment(awsTestEnvironmentSchema, "environments/test-aws.ts", testAws),
    prodAzure: parseEnvironment(azureProdEnvironmentSchema, "environments/prod-azure.ts", prodAzure),
  };
}
