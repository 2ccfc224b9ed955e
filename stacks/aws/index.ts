import { Construct } from "constructs";
import { AwsTestEnvironment } from "../../environments/schema";
import { AwsStateStack } from "./state-stack";

/** The stacks of an AWS environment, in bootstrap order. */
export interface AwsEnvironmentStacks {
  readonly state: AwsStateStack;
}

/** Build every stack of an AWS environment. Cross-stack values flow through typed props. */
export function buildAwsEnvironment(scope: Construct, env: AwsTestEnvironment): AwsEnvironmentStacks {
  const state = new AwsStateStack(scope, env);
  return { state };
}
