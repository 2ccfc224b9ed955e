import { Testing } from "cdktf";
import { testAws as testAwsInput } from "../../../environments/test-aws";
import { AwsTestEnvironment, awsTestEnvironmentSchema, parseEnvironment } from "../../../environments/schema";
import { buildAwsEnvironment } from "../../../stacks/aws";
import { AwsWorkloadsStack } from "../../../stacks/aws/workloads-stack";
import { appStackJson } from "../../helpers/azure";
import { synthJson } from "../../helpers/synth";

// The kubernetes provider is not in the offline plugin mirror, so this stack cannot be
// `terraform validate`d here; these tests assert on the synthesized JSON instead.

function testAws(mutate: (env: AwsTestEnvironment) => void = () => undefined): AwsTestEnvironment {
  const env = parseEnvironment(awsTestEnvironmentSchema, "environments/test-aws.ts", structuredClone(testAwsInput));
  mutate(env);
  return env;
}

const CLUSTER = { host: "https://ABC123.gr7.eu-west-1.eks.amazonaws.com", clusterCaCertificate: "LS0tLS1CRUdJTi1DQS0tLS0t", clusterName: "test-platform" };

function standalone(mutate?: (env: AwsTestEnvironment) => void) {
  return new AwsWorkloadsStack(Testing.app(), testAws(mutate), { cluster: CLUSTER });
}

describe("AwsWorkloadsStack", () => {
  const stack = standalone();
  const json = synthJson(stack);

  it("opens database egress to each configured endpoint and port only, never a wider range on that port", () => {
    const env = testAws();
    const policies = Object.values(json.resource.kubernetes_network_policy_v1 as Record<string, any>);
    const users = env.workloads.services.filter((s) => s.network?.egressToDatabases?.length);
    expect(users.length).toBeGreaterThan(0);
    for (const service of users) {
      const policy = policies.find((p) => p.metadata.name === service.name);
      const cidrRules = policy.spec.egress.filter((e: any) => e.to?.some((t: any) => t.ip_block));
      for (const name of service.network!.egressToDatabases!) {
        const db = env.workloads.databases.find((d) => d.name === name)!;
        expect(cidrRules).toContainEqual(expect.objectContaining({ to: [{ ip_block: { cidr: db.cidr } }], ports: [{ port: String(db.port), protocol: "TCP" }] }));
      }
      const databasePorts = new Set(env.workloads.databases.map((d) => String(d.port)));
      for (const rule of cidrRules.filter((r: any) => r.ports.some((p: any) => databasePorts.has(p.port)))) {
        expect(env.workloads.databases.map((d) => d.cidr)).toContain(rule.to[0].ip_block.cidr);
      }
    }
  });

  it("is test-aws-workloads with its own state key", () => {
    expect(stack.node.id).toBe("test-aws-workloads");
    expect(json.terraform.backend.s3).toMatchObject({ key: "test/aws/workloads.tfstate", use_lockfile: true });
  });

  it("authenticates to EKS with `aws eks get-token`, trusting only the cluster CA: no static credentials", () => {
    expect(json.provider.kubernetes).toEqual([
      {
        host: CLUSTER.host,
        cluster_ca_certificate: `\${base64decode("${CLUSTER.clusterCaCertificate}")}`,
        exec: [
          {
            api_version: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", "test-platform", "--region", "eu-west-1"],
          },
        ],
      },
    ]);
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/"(token|client_certificate|client_key|password|username|config_path|config_paths)"/);
  });

  it("deploys every service's image from the environment's ECR into its namespace", () => {
    const env = testAws();
    const deployments = Object.values(json.resource.kubernetes_deployment_v1);
    const images = deployments.map((d: any) => d.spec.template.spec.container[0].image).sort();
    expect(images).toEqual(env.workloads.services.map((s) => `${env.accountId}.dkr.ecr.${env.region}.amazonaws.com/${s.image.repository}:${s.image.tag}`).sort());
    for (const d of deployments) expect(d.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\.namespace-payments_namespace_\w+\.metadata\[0\]\.name\}$/);
    expect(Object.values(json.resource.kubernetes_namespace_v1).map((ns: any) => ns.metadata.name)).toEqual(["payments"]);
  });

  it("gives every configured service a Deployment, an HPA and a PDB", () => {
    const names = (type: string) => Object.values(json.resource[type]).map((r: any) => r.metadata.name).sort();
    const services = testAws().workloads.services.map((s) => s.name).sort();
    expect(services.length).toBeGreaterThan(0);
    expect(names("kubernetes_deployment_v1")).toEqual(services);
    expect(names("kubernetes_horizontal_pod_autoscaler_v2")).toEqual(services);
    expect(names("kubernetes_pod_disruption_budget_v1")).toEqual(services);
  });

  it("lets the ingress controller reach only services that ask for it", () => {
    const policies = Object.values(json.resource.kubernetes_network_policy_v1) as any[];
    const api = policies.find((p) => p.metadata.name === "payments-api");
    const worker = policies.find((p) => p.metadata.name === "payments-worker");
    expect(api.spec.ingress[0].from).toContainEqual({
      namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "ingress-nginx" } },
      pod_selector: { match_labels: { "app.kubernetes.io/name": "ingress-nginx" } },
    });
    expect(worker.spec.ingress).toEqual([]);
  });

  it("mounts payments-api's config file as a hashed ConfigMap", () => {
    const cm = Object.values(json.resource.kubernetes_config_map_v1)[0] as any;
    expect(cm.metadata.name).toMatch(/^payments-api-config-[a-z0-9]{10}$/);
    expect(cm.data["application.yaml"]).toContain("currency: EUR");
  });

  it("rejects a service image from a repository the environment does not have", () => {
    expect(() =>
      standalone((env) => {
        env.workloads.services[0].image.repository = "billing-api";
      }),
    ).toThrow(/test-aws-workloads: workloads\.services payments-api image\.repository "billing-api" is not an ECR repository of this environment \(payments-api, payments-worker\); add it to ecr\.repositories/);
  });

  it("rejects an unpinned image from config", () => {
    expect(() =>
      standalone((env) => {
        env.workloads.services[1].image.tag = "latest";
      }),
    ).toThrow(/test-aws-workloads\/payments-payments-worker: image\.tag "latest" floats to new images/);
  });
});

describe("test-aws-workloads wired to the EKS stack", () => {
  const stacks = buildAwsEnvironment(Testing.app(), testAws());
  const json = appStackJson(stacks.workloads);

  it("reads the cluster endpoint, CA and name from the EKS stack's state, not from literals", () => {
    const provider = json.provider.kubernetes[0];
    expect(provider.host).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-test-aws-eks\.outputs\.\S+\}$/);
    expect(provider.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\.cross-stack-reference-input-test-aws-eks\.outputs\.\S+\)\}$/);
    expect(provider.exec[0]).toMatchObject({ command: "aws", api_version: "client.authentication.k8s.io/v1beta1" });
    expect(provider.exec[0].args.slice(0, 3)).toEqual(["eks", "get-token", "--cluster-name"]);
    expect(provider.exec[0].args.slice(4)).toEqual(["--region", "eu-west-1"]);
    expect(json.data.terraform_remote_state["cross-stack-reference-input-test-aws-eks"].config).toMatchObject({ key: "test/aws/eks.tfstate" });
  });

  it("is deployed after the EKS and ECR stacks", () => {
    expect(stacks.workloads.dependencies.map((s) => s.node.id).sort()).toEqual(expect.arrayContaining(["test-aws-ecr", "test-aws-eks"]));
  });
});
