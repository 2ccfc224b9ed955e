import { EC2Client } from "@aws-sdk/client-ec2";
import { SNSClient } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";

/** Temporary credentials from STS (structurally the SDK's credential identity). */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Makes the SDK clients a run needs; tests and the benchmark swap in their own. */
export interface ClientFactory {
  ec2(region: string, credentials?: Credentials): EC2Client;
  sts(region: string, credentials?: Credentials): STSClient;
  sns(region: string): SNSClient;
}

/**
 * Real clients. `endpoint` (the standard AWS_ENDPOINT_URL, e.g. a local emulator) is passed on
 * explicitly so the behaviour does not depend on which SDK release reads that variable.
 */
export function sdkClients(endpoint: string | undefined = process.env.AWS_ENDPOINT_URL): ClientFactory {
  const common = (region: string) => ({ region, ...(endpoint ? { endpoint } : {}), maxAttempts: 5 });
  return {
    ec2: (region, credentials) => new EC2Client({ ...common(region), ...(credentials ? { credentials } : {}) }),
    sts: (region, credentials) => new STSClient({ ...common(region), ...(credentials ? { credentials } : {}) }),
    sns: (region) => new SNSClient(common(region)),
  };
}
