import { awsTestEnvironmentSchema, azureProdEnvironmentSchema, parseEnvironment } from "../../environments/schema";
import { prodAzure } from "../../environments/prod-azure";
import { testAws } from "../../environments/test-aws";

const aws = (patch: (env: any) => void) => {
  const raw = structuredClone(testAws) as any;
  patch(raw);
  return () => parseEnvironment(awsTestEnvironmentSchema, "environments/test-aws.ts", raw);
};
const azure = (patch: (env: any) => void) => {
  const raw = structuredClone(prodAzure) as any;
  patch(raw);
  return () => parseEnvironment(azureProdEnvironmentSchema, "environments/prod-azure.ts", raw);
};
const offHours = { timeZone: "Europe/Berlin", days: ["MON", "FRI"], start: "07:00", end: "19:00", keepAwake: [] };

describe("cost usage assumptions", () => {
  it("fill every assumption with its default when the section is omitted", () => {
    const env = aws((e) => delete e.cost)();
    expect(env.cost.usage).toEqual(expect.objectContaining({ natGatewayGbPerMonth: expect.any(Number), logIngestGbPerMonth: expect.any(Number) }));
    expect(azure((e) => delete e.cost)().cost.usage.logAnalyticsGbPerMonth).toEqual(expect.any(Number));
  });
  it("rejects a negative assumption, naming field and value", () => {
    expect(aws((e) => (e.cost.usage.natGatewayGbPerMonth = -5))).toThrow(/cost.usage.natGatewayGbPerMonth must be >= 0 GB per month \(got -5\)/);
    expect(azure((e) => (e.cost.usage.keyVaultOperationsPerMonth = -1))).toThrow(/cost.usage.keyVaultOperationsPerMonth must be >= 0 operations per month \(got -1\)/);
  });
  it("rejects a non-numeric assumption, naming field and value", () => {
    expect(aws((e) => (e.cost.usage.logIngestGbPerMonth = "lots"))).toThrow(/cost.usage.logIngestGbPerMonth must be a number of GB per month \(>= 0\) \(got "lots"\)/);
    expect(aws((e) => (e.cost.usage.logIngestGbPerMonthByGroup = { "/x": "5" }))).toThrow(/cost.usage.logIngestGbPerMonthByGroup\/?.*x.* must be a number/);
  });
  it("rejects a misspelt assumption instead of ignoring it", () => {
    expect(azure((e) => (e.cost.usage.logAnalyticGb = 3))).toThrow(/cost\.usage\.logAnalyticGb is not a known field/);
  });
});

describe("off-hours schedule config", () => {
  it("accepts office hours with the weekday default", () => {
    const env = aws((e) => (e.eks.offHours = { timeZone: "UTC", start: "08:00", end: "18:00" }))();
    expect(env.eks.offHours).toEqual({ timeZone: "UTC", start: "08:00", end: "18:00", days: ["MON", "TUE", "WED", "THU", "FRI"], keepAwake: [] });
  });
  it("rejects an invalid time zone, naming it and the fix", () => {
    expect(aws((e) => (e.eks.offHours = { ...offHours, timeZone: "Europe/Berlinn" }))).toThrow(/eks.offHours.timeZone "Europe\/Berlinn" is not an IANA time zone; use a name like Europe\/Berlin/);
  });
  it("rejects office hours that end before they start", () => {
    expect(aws((e) => (e.eks.offHours = { ...offHours, start: "19:00", end: "07:00" }))).toThrow(/eks.offHours.end 07:00 is not after start 19:00/);
  });
  it("rejects a time that is not HH:MM and an unknown day", () => {
    expect(aws((e) => (e.eks.offHours = { ...offHours, start: "7am" }))).toThrow(/eks.offHours.start "7am" is not a 24 h time/);
    expect(aws((e) => (e.eks.offHours = { ...offHours, days: ["MONDAY"] }))).toThrow(/eks.offHours.days\[0\] must be one of SUN, MON/);
  });
  it("rejects keeping awake a node group that does not exist", () => {
    expect(aws((e) => (e.eks.offHours = { ...offHours, keepAwake: ["sytem"] }))).toThrow(/eks.offHours.keepAwake\[0\] is not a node group; use one of .+ \(got "sytem"\)/);
  });
});
