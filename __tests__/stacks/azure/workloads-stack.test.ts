import { Testing } from "cdktf";
import { AzureProdEnvironment } from "../../../environments/schema";
import { AzureWorkloadsStack } from "../../../stacks/azure/workloads-stack";
import { prodAzure, shippedAzureApp, shippedAzureDependencies } from "../../helpers/azure";
import { synthJson } from "../../helpers/synth";

// The kubernetes provider is not in the offline plugin mirror, so this stack cannot be
// `terraform validate`d here; these tests assert on the synthesized JSON instead.

const CLUSTER = { host: "https://aks-prod-1a2b3c.hcp.westeurope.azmk8s.io:443", clusterCaCertificate: "LS0tLS1CRUdJTi1DQS0tLS0t", clusterName: "aks-prod" };
const SERVER_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

function standalone(mutate: (env: AzureProdEnvironment) => void = () => undefined) {
  const env = prodAzure();
  mutate(env);
  return new AzureWorkloadsStack(Testing.app(), env, { cluster: CLUSTER, kubeloginServerId: SERVER_ID });
}

describe("AzureWorkloadsStack", () => {
  const stack = standalone();
  const json = synthJson(stack);

  it("is prod-azure-workloads with its own state blob", () => {
    expect(stack.node.id).toBe("prod-azure-workloads");
    expect(json.terraform.backend.azurerm).toMatchObject({ key: "prod/azure/workloads.tfstate", use_azuread_auth: true });
  });

  it("authenticates through Entra ID with kubelogin, trusting only the cluster CA: no admin kubeconfig", () => {
    expect(json.provider.kubernetes).toEqual([
      {
        host: CLUSTER.host,
        cluster_ca_certificate: `\${base64decode("${CLUSTER.clusterCaCertificate}")}`,
        exec: [
          {
            api_version: "client.authentication.k8s.io/v1beta1",
            command: "kubelogin",
            args: ["get-token", "--login", "azurecli", "--server-id", SERVER_ID],
          },
        ],
      },
    ]);
    expect(JSON.stringify(json)).not.toMatch(/"(token|client_certificate|client_key|password|username|config_path|config_paths)"|kube_admin_config/);
  });

  it("deploys payments-api and payments-worker from the configured registry, pinned by digest", () => {
    const images = Object.values(json.resource.kubernetes_deployment_v1).map((d: any) => d.spec.template.spec.container[0].image).sort();
    expect(images).toEqual([
      expect.stringMatching(/^fintechprod\.azurecr\.io\/payments\/payments-api:1\.4\.2@sha256:[a-f0-9]{64}$/),
      expect.stringMatching(/^fintechprod\.azurecr\.io\/payments\/payments-worker:1\.4\.2@sha256:[a-f0-9]{64}$/),
    ]);
  });

  it("gives every configured service a Deployment, an HPA (production minimum 3 for the API) and a PDB", () => {
    const byName = (type: string) => Object.fromEntries(Object.values(json.resource[type]).map((r: any) => [r.metadata.name, r]));
    const services = prodAzure().workloads.services.map((s) => s.name).sort();
    expect(Object.keys(byName("kubernetes_deployment_v1")).sort()).toEqual(services);
    expect(Object.keys(byName("kubernetes_horizontal_pod_autoscaler_v2")).sort()).toEqual(services);
    expect(byName("kubernetes_horizontal_pod_autoscaler_v2")["payments-api"].spec).toMatchObject({ min_replicas: 3, max_replicas: 12 });
    expect(Object.keys(byName("kubernetes_pod_disruption_budget_v1")).sort()).toEqual(services);
  });

  it("binds the team's Entra group read-only in its namespace", () => {
    const binding = Object.values(json.resource.kubernetes_role_binding_v1)[0] as any;
    expect(binding.role_ref.name).toBe("view");
    expect(binding.subject[0]).toMatchObject({ kind: "Group", name: "00000000-0000-4000-8000-0000000000d1" });
  });

  it("rejects services without a registry to pull from", () => {
    expect(() =>
      standalone((env) => {
        delete (env.workloads as { registry?: string }).registry;
      }),
    ).toThrow(/prod-azure-workloads: workloads\.registry is missing; set the registry the 2 service image\(s\) come from/);
  });
});

describe("prod-azure-workloads wired to the AKS stack", () => {
  const json = shippedAzureApp().workloads;

  it("reads the API server and CA from the AKS stack's state, and asks kubelogin for the AKS server app", () => {
    const provider = json.provider.kubernetes[0];
    expect(provider.host).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-prod-azure-aks\.outputs\.\S+\}$/);
    expect(provider.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\.cross-stack-reference-input-prod-azure-aks\.outputs\.\S+\)\}$/);
    expect(provider.exec[0]).toEqual({
      api_version: "client.authentication.k8s.io/v1beta1",
      command: "kubelogin",
      args: ["get-token", "--login", "azurecli", "--server-id", SERVER_ID],
    });
    expect(shippedAzureDependencies("workloads")).toContain("prod-azure-aks");
  });
});
