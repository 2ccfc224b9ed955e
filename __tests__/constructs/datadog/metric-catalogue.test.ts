import { METRIC_CATALOGUE, unconfirmedTagNotes } from "../../../constructs/datadog/metric-catalogue";

describe("metric catalogue", () => {
  it("names a public source for every metric and for every tag, or says the tag is unconfirmed", () => {
    for (const [name, definition] of Object.entries(METRIC_CATALOGUE)) {
      expect([name, definition.source]).toEqual([name, expect.stringMatching(/^https:\/\//)]);
      for (const tag of definition.tags) {
        const source = definition.tagSources[tag] ?? definition.unconfirmedTags?.[tag];
        expect([name, tag, source]).toEqual([name, tag, expect.stringMatching(/\S{10,}/)]);
      }
    }
  });

  it("marks the Azure tunnel's connectionname tag as unconfirmed and explains where to check", () => {
    expect(unconfirmedTagNotes("azure.network_vpngateways.tunnel_average_bandwidth", ["connectionname", "region"])).toEqual([
      expect.stringMatching(/^Tag connectionname on azure.network_vpngateways.tunnel_average_bandwidth is unconfirmed: .*Metrics Explorer\.$/),
    ]);
  });
});
