import { show } from "../../attributes";
import { fromProblems, NOT_APPLICABLE, PolicyRule } from "../../rule";
import { VPN_LINK_TYPES, vpnLinks } from "./vpn-links";

/**
 * Accepted values per ipsec_policy field: 256-bit AES (CBC or GCM), SHA-2 or GCM integrity,
 * DH/PFS groups of at least 2048-bit MODP or ECP256; "None" (no PFS) is never accepted.
 */
const STRONG: Record<string, readonly string[]> = {
  ike_encryption: ["AES256", "GCMAES256"],
  ike_integrity: ["SHA256", "SHA384", "GCMAES256"],
  dh_group: ["DHGroup14", "DHGroup2048", "DHGroup24", "ECP256", "ECP384"],
  ipsec_encryption: ["AES256", "GCMAES256"],
  ipsec_integrity: ["SHA256", "GCMAES256"],
  pfs_group: ["PFS14", "PFS2048", "PFS24", "ECP256", "ECP384"],
};

/** Tunnels use an explicit, strong IPsec/IKE policy instead of Azure's negotiable default set. */
export const vpnStrongIpsecPolicy: PolicyRule = {
  id: "AZURE-VPN-004",
  externalIds: [],
  description: "Site-to-site VPN connections (VNet gateway, Virtual WAN, or Virtual WAN by ARM template) pin a custom IPsec/IKE policy with strong algorithms and PFS",
  severity: "high",
  fix: "Set ipsec_policy { ike_encryption = \"GCMAES256\", ike_integrity = \"SHA384\", dh_group = \"ECP384\", ipsec_encryption = \"GCMAES256\", ipsec_integrity = \"GCMAES256\", pfs_group = \"ECP384\" }",
  appliesTo: VPN_LINK_TYPES,
  check(resource) {
    const links = vpnLinks(resource);
    if (links.length === 0) return NOT_APPLICABLE;
    const problems = links.flatMap(({ where, ipsecPolicy: policy }) => {
      if (!policy) return [`${where}no custom ipsec_policy (Azure's default proposals include weak algorithms)`];
      const found = Object.entries(STRONG)
        .filter(([field, accepted]) => !accepted.includes(String(policy[field])))
        .map(([field, accepted]) => `${where}${field} is ${show(policy[field])}, expected one of ${accepted.join("/")}`);
      // Azure only accepts GCM integrity together with the matching GCM encryption.
      if (String(policy.ipsec_encryption).startsWith("GCM") && policy.ipsec_integrity !== policy.ipsec_encryption) {
        found.push(`${where}ipsec_integrity must equal ipsec_encryption ${show(policy.ipsec_encryption)} when GCM is used`);
      }
      return found;
    });
    return fromProblems(problems);
  },
};
