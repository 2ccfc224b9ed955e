import { testAws } from "../../environments/test-aws";
import { awsTestEnvironmentSchema, parseEnvironment, WorkloadsConfig, workloadsSchema } from "../../environments/schema";

function parseWorkloads(mutate: (w: any) => void) {
  const raw = structuredClone(testAws.workloads) as any;
  mutate(raw);
  return () => parseEnvironment(workloadsSchema, "environments/test-aws.ts", raw);
}

describe("workloads config", () => {
  it("parses the shipped test-aws services", () => {
    const env = parseEnvironment(awsTestEnvironmentSchema, "environments/test-aws.ts", structuredClone(testAws));
    const workloads: WorkloadsConfig = env.workloads;
    expect(workloads.services.map((s) => s.name)).toEqual(testAws.workloads!.services!.map((s) => s.name));
    // Repositories are names inside the environment's ECR, which the stack turns into full URLs.
    for (const service of workloads.services) expect(env.ecr.repositories.map((r) => r.name)).toContain(service.image.repository);
  });

  it("defaults to no namespaces and no services", () => {
    const { workloads: _omitted, ...rest } = structuredClone(testAws);
    expect(parseEnvironment(awsTestEnvironmentSchema, "environments/test-aws.ts", rest).workloads).toEqual({ namespaces: [], services: [], databases: [] });
  });

  it("reaches a database at its endpoint and port only", () => {
    expect(parseWorkloads((w) => (w.databases = [{ name: "payments-db", cidr: "10.40.48.0/24", port: 5432 }]))).toThrow(
      /databases\[0\]\.cidr must be the database endpoint itself: a \/32, at most a \/28 \(got "10\.40\.48\.0\/24"\)/,
    );
    expect(parseWorkloads((w) => (w.services[0].network.egressToDatabases = ["orders-db"]))).toThrow(
      /services\[0\]\.network\.egressToDatabases\[0\] must name one of workloads\.databases \(payments-db\) \(got "orders-db"\)/,
    );
  });

  it("rejects an egressToCidrs range that opens a database's port wider than its endpoint", () => {
    expect(
      parseWorkloads((w) => {
        w.databases = [{ name: "payments-db", cidr: "10.40.48.10/32", port: 5432 }];
        w.services[0].network.egressToCidrs = [{ cidr: "10.40.0.0/16", ports: [{ port: 5432 }] }];
      }),
    ).toThrow(/services\[0\]\.network\.egressToCidrs\[0\] opens 10\.40\.0\.0\/16:5432, wider than database "payments-db" \(10\.40\.48\.10\/32\); use egressToDatabases: \["payments-db"\]/);
  });

  it("rejects a service in a namespace that is not defined", () => {
    expect(parseWorkloads((w) => (w.services[0].namespace = "billing"))).toThrow(
      /environments\/test-aws\.ts: services\[0\]\.namespace must be one of workloads\.namespaces \(payments\) \(got "billing"\)/,
    );
  });

  it("rejects two services with the same name in a namespace", () => {
    expect(parseWorkloads((w) => (w.services[1].name = "payments-api"))).toThrow(/services\[1\]\.name duplicates another service in namespace payments/);
  });

  it("rejects allowIngressController without an ingress controller", () => {
    expect(parseWorkloads((w) => delete w.ingressController)).toThrow(
      /services\[0\]\.network\.allowIngressController needs workloads\.ingressController to say where the controller runs/,
    );
  });

  it("rejects a resource quantity Kubernetes would not accept", () => {
    expect(parseWorkloads((w) => (w.services[0].resources.memoryLimit = "512MB"))).toThrow(
      /services\[0\]\.resources\.memoryLimit must be a Kubernetes quantity like "250m" or "512Mi" \(got "512MB"\)/,
    );
  });

  it("rejects a probe without a kind it knows", () => {
    expect(parseWorkloads((w) => (w.services[0].probes.liveness = { type: "grpc", port: 9000 }))).toThrow(/services\[0\]\.probes\.liveness\.type must be one of http, tcp, exec \(got "grpc"\)/);
  });

  it("rejects a namespace name that is not a DNS label", () => {
    expect(parseWorkloads((w) => (w.namespaces[0].name = "Payments"))).toThrow(/namespaces\[0\]\.name must be a DNS label/);
  });
});
