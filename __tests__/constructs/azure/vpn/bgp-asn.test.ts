import { checkBgpAsn } from "../../../../constructs/azure/vpn/bgp-asn";

describe("checkBgpAsn", () => {
  it.each([65010, 64512, 65514, 65516, 65534, 64601, 4200000000, 4294967294, 1])("accepts %i", (asn) => {
    expect(() => checkBgpAsn("asn", asn)).not.toThrow();
  });

  it.each([
    [65515, /asn 65515 is reserved by Azure \(the ASN of every Virtual WAN hub VPN gateway\)/],
    [65517, /asn 65517 is reserved by Azure;/],
    [65518, /asn 65518 is reserved by Azure;/],
    [65519, /asn 65519 is reserved by Azure;/],
    [65520, /asn 65520 is reserved by Azure;/],
    [8074, /asn 8074 is reserved by Azure;/],
    [8075, /asn 8075 is reserved by Azure;/],
    [12076, /asn 12076 is reserved by Azure;/],
    [23456, /asn 23456 is reserved by IANA \(AS_TRANS\)/],
    [64500, /asn 64500 is reserved by IANA for documentation/],
    [65535, /asn 65535 is reserved by IANA;/],
    [65551, /asn 65551 is reserved by IANA;/],
    [0, /asn 0 is reserved by IANA;/],
    [4294967295, /asn 4294967295 is reserved by IANA;/],
  ])("rejects reserved ASN %i", (asn, message) => {
    expect(() => checkBgpAsn("asn", asn)).toThrow(message);
  });

  it.each([-1, 4294967296, 65010.5])("rejects %p, which is not an ASN", (asn) => {
    expect(() => checkBgpAsn("asn", asn)).toThrow(/is not a BGP ASN; use an integer from 1 to 4294967294/);
  });
});
