import { findKeyLiterals, looksLikeDatadogKey } from "../../../constructs/datadog/key-literal";

describe("Datadog key literal detection", () => {
  it("spots 32-hex API keys and 40-hex application keys, alone or inside text", () => {
    expect(looksLikeDatadogKey("0123456789abcdef0123456789ABCDEF")).toBe(true);
    expect(looksLikeDatadogKey("token=0123456789abcdef0123456789abcdef01234567;")).toBe(true);
  });

  it("leaves GUIDs, handles and hex strings of other lengths alone", () => {
    expect(looksLikeDatadogKey("00000000-0000-4000-8000-000000000001")).toBe(false);
    expect(looksLikeDatadogKey("@pagerduty-platform-prod")).toBe(false);
    expect(looksLikeDatadogKey("0123456789abcdef0123456789abcdef0")).toBe(false);
    expect(looksLikeDatadogKey("0123456789abcdef")).toBe(false);
  });

  it("reports the path of every key-like string in nested config", () => {
    const key = "f".repeat(32);
    expect(findKeyLiterals({ a: { b: ["x", key] }, c: key, d: 3 })).toEqual([["a", "b", 1], ["c"]]);
  });
});
