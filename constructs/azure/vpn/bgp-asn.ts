import { ConfigError } from "../../errors";

/**
 * ASNs an Azure VPN gateway or a peer may not use. Azure reserves 8074, 8075 and 12076 (public) and
 * 65515 and 65517-65520 (private; 65515 is the gateway's own default); IANA reserves 0, 23456
 * (AS_TRANS), 64496-64511 (documentation), 65535-65551 and 4294967295.
 */
const RESERVED_ASNS: readonly { readonly from: number; readonly to: number; readonly reason: string }[] = [
  { from: 0, to: 0, reason: "reserved by IANA" },
  { from: 8074, to: 8075, reason: "reserved by Azure" },
  { from: 12076, to: 12076, reason: "reserved by Azure" },
  { from: 23456, to: 23456, reason: "reserved by IANA (AS_TRANS)" },
  { from: 64496, to: 64511, reason: "reserved by IANA for documentation" },
  { from: 65515, to: 65515, reason: "reserved by Azure (the ASN of every Virtual WAN hub VPN gateway)" },
  { from: 65517, to: 65520, reason: "reserved by Azure" },
  { from: 65535, to: 65551, reason: "reserved by IANA" },
  { from: 4294967295, to: 4294967295, reason: "reserved by IANA" },
];
const MAX_ASN = 4294967295;

/** Throw a ConfigError when `asn` is not a usable BGP ASN for an Azure VPN gateway or its peers. */
export function checkBgpAsn(field: string, asn: number): void {
  if (!Number.isInteger(asn) || asn < 0 || asn > MAX_ASN) {
    throw new ConfigError(`${field} ${asn} is not a BGP ASN; use an integer from 1 to 4294967294 (private: 64512-65534)`);
  }
  const reserved = RESERVED_ASNS.find((r) => asn >= r.from && asn <= r.to);
  if (reserved) {
    throw new ConfigError(`${field} ${asn} is ${reserved.reason}; choose another ASN, e.g. a private one in 64512-65514`);
  }
}
