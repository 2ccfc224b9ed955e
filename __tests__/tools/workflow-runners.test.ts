import { CiRunners } from "../../constructs/core/ci-runners";
import { RunnersByEnvironment, runnerMismatches } from "../../tools/workflow-runners";

const runners = (env: string): CiRunners => ({
  plan: { labels: [`${env}-plan`], network: { placement: "static-egress", egressCidrs: ["198.51.100.1/32"], ephemeral: true } },
  apply: { labels: [`${env}-apply`], network: { placement: "static-egress", egressCidrs: ["198.51.100.2/32"], ephemeral: true } },
});
const expected: RunnersByEnvironment = { "test-aws": { runners: runners("test-aws"), configFile: "environments/test-aws.ts" } };

const plan = (runner: string, runsOn = "${{ matrix.runner }}") => `on: pull_request
jobs:
  lint:
    runs-on: ubuntu-22.04
    steps: [{ run: "true" }]
  plan:
    runs-on: ${runsOn}
    permissions:
      id-token: write
    strategy:
      matrix:
        include:
          - environment: test-aws
            runner: ${runner}
    steps: [{ run: "echo \${{ secrets.AWS_PLAN_ROLE_ARN }}" }]
`;
const reusable = `on:
  workflow_call:
    inputs:
      runner: { type: string, required: true }
jobs:
  apply:
    runs-on: \${{ fromJSON(inputs.runner) }}
    permissions:
      id-token: write
    env:
      ROLE: \${{ secrets.AWS_APPLY_ROLE_ARN }}
    steps: [{ run: "true" }]
`;
const caller = (runner: string, environment = "test-aws") => `on: push
jobs:
  test-aws:
    uses: ./.github/workflows/apply-environment.yml
    with:
      environment: ${environment}
      runner: '${runner}'
`;

describe("runnerMismatches", () => {
  it("accepts plan jobs on the plan labels and reusable apply calls on the apply labels; jobs without a cloud identity may use any runner", () => {
    const files = [
      { path: ".github/workflows/pr.yml", text: plan("[test-aws-plan]") },
      { path: ".github/workflows/apply-environment.yml", text: reusable },
      { path: ".github/workflows/apply.yml", text: caller('["test-aws-apply"]') },
    ];
    expect(runnerMismatches(files, expected)).toEqual([]);
  });

  it("names file, line, the expected labels and the fix", () => {
    expect(runnerMismatches([{ path: "pr.yml", text: plan("[test-aws-apply]") }], expected)).toEqual([
      'pr.yml:14: job plan runs test-aws on ["test-aws-apply"], expected ["test-aws-plan"]; set runner: ["test-aws-plan"] (ci.runners.plan.labels in environments/test-aws.ts)',
    ]);
    expect(runnerMismatches([{ path: "pr.yml", text: plan("[test-aws-plan]", "[self-hosted, test-aws-plan]") }], expected)).toEqual([
      expect.stringMatching(/^pr\.yml:7: job plan holds a cloud identity but runs on \["self-hosted","test-aws-plan"\]; use runs-on: \$\{\{ matrix\.runner \}\}/),
    ]);
  });

  it("checks each caller of a reusable apply workflow, including an environment no config defines", () => {
    const files = (runner: string, environment?: string) => [
      { path: ".github/workflows/apply-environment.yml", text: reusable },
      { path: ".github/workflows/apply.yml", text: caller(runner, environment) },
    ];
    expect(runnerMismatches(files('["test-aws-plan"]'), expected)).toEqual([
      `.github/workflows/apply.yml:7: job test-aws runs test-aws on ["test-aws-plan"], expected ["test-aws-apply"]; set with.runner: '["test-aws-apply"]' (ci.runners.apply.labels in environments/test-aws.ts)`,
    ]);
    expect(runnerMismatches(files('["x"]', "test-gcp"), expected)).toEqual([
      ".github/workflows/apply.yml:6: job test-aws applies environment test-gcp, which no config defines; use one of test-aws",
    ]);
  });
});
