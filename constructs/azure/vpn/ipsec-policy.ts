import { VirtualNetworkGatewayConnectionIpsecPolicy } from "@cdktf/provider-azurerm/lib/virtual-network-gateway-connection";
import { ConfigError } from "../../errors";

/** A custom IPsec/IKE policy, in Azure's value names. */
export interface IpsecPolicy {
  /** IKE (phase 1) cipher, e.g. GCMAES256. */
  readonly ikeEncryption: string;
  /** IKE integrity / PRF, e.g. SHA384. */
  readonly ikeIntegrity: string;
  /** IKE Diffie-Hellman group, e.g. ECP384. */
  readonly dhGroup: string;
  /** IPsec (phase 2) cipher, e.g. GCMAES256. */
  readonly ipsecEncryption: string;
  /** IPsec integrity; must equal ipsecEncryption for GCM. */
  readonly ipsecIntegrity: string;
  /** Perfect forward secrecy group for phase 2, e.g. ECP384. */
  readonly pfsGroup: string;
  /** IPsec SA lifetime. @default 27000 */
  readonly saLifetimeSeconds?: number;
  /** IPsec SA data size. @default 102400000 */
  readonly saDataSizeKb?: number;
}

/**
 * The default for every customer tunnel: AES-GCM 256, SHA-384, ECP384 key exchange and PFS.
 * Azure's built-in default would negotiate DH group 2 (1024-bit), which is broken.
 */
export const STRONG_IPSEC_POLICY: Required<IpsecPolicy> = {
  ikeEncryption: "GCMAES256",
  ikeIntegrity: "SHA384",
  dhGroup: "ECP384",
  ipsecEncryption: "GCMAES256",
  ipsecIntegrity: "GCMAES256",
  pfsGroup: "ECP384",
  saLifetimeSeconds: 27000,
  saDataSizeKb: 102400000,
};

type Field = "ikeEncryption" | "ikeIntegrity" | "dhGroup" | "ipsecEncryption" | "ipsecIntegrity" | "pfsGroup";

/** Values accepted here for each field; everything Azure offers beyond these is weak. */
const STRONG: Record<Field, readonly string[]> = {
  ikeEncryption: ["GCMAES256", "GCMAES128", "AES256", "AES192", "AES128"],
  ikeIntegrity: ["SHA384", "SHA256", "GCMAES256", "GCMAES128"],
  dhGroup: ["ECP384", "ECP256", "DHGroup24", "DHGroup14", "DHGroup2048"],
  ipsecEncryption: ["GCMAES256", "GCMAES192", "GCMAES128", "AES256", "AES192", "AES128"],
  ipsecIntegrity: ["GCMAES256", "GCMAES192", "GCMAES128", "SHA256"],
  pfsGroup: ["ECP384", "ECP256", "PFS24", "PFS2048", "PFS14"],
};

/** Why the weak values Azure still offers are refused. */
const WEAK: Record<string, string> = {
  DES: "DES is broken (56-bit key)",
  DES3: "3DES is deprecated (64-bit block, Sweet32)",
  MD5: "MD5 is broken",
  SHA1: "SHA-1 is deprecated",
  DHGroup1: "DH group 1 (768-bit) is broken",
  DHGroup2: "DH group 2 (1024-bit) is broken",
  PFS1: "PFS group 1 (768-bit) is broken",
  PFS2: "PFS group 2 (1024-bit) is broken",
  PFSMM: "PFSMM reuses the main-mode group instead of an independent strong one",
  None: "None turns the protection off (no perfect forward secrecy or no encryption)",
};

const SA_LIFETIME = { min: 300, max: 172799 };
const SA_DATA_SIZE = { min: 1024, max: 2147483647 };

/**
 * Check an IPsec/IKE policy for strength and consistency and return it in provider form. Throws a
 * ConfigError naming `field` (e.g. `customers[acme].ipsecPolicy`), the weak value and the fix.
 */
export function ipsecPolicyFor(field: string, policy: IpsecPolicy = STRONG_IPSEC_POLICY): VirtualNetworkGatewayConnectionIpsecPolicy {
  for (const key of Object.keys(STRONG) as Field[]) {
    const value = policy[key];
    if (STRONG[key].includes(value)) continue;
    const why = WEAK[value] ? `is weak: ${WEAK[value]}` : "is not an Azure IPsec/IKE value";
    throw new ConfigError(`${field}.${key} "${value}" ${why}; use one of ${STRONG[key].join(", ")}`);
  }
  // Azure's rule: a GCM cipher carries its own integrity, so both sides must name the same GCM mode.
  for (const [encryption, integrity] of [["ikeEncryption", "ikeIntegrity"], ["ipsecEncryption", "ipsecIntegrity"]] as const) {
    const enc = policy[encryption];
    const int = policy[integrity];
    if ((int.startsWith("GCM") || (encryption === "ipsecEncryption" && enc.startsWith("GCM"))) && enc !== int) {
      throw new ConfigError(`${field}.${integrity} "${int}" must match ${encryption} "${enc}" when either uses AES-GCM; set both to the same GCMAES value`);
    }
  }
  const saLifetime = policy.saLifetimeSeconds ?? STRONG_IPSEC_POLICY.saLifetimeSeconds;
  const saDatasize = policy.saDataSizeKb ?? STRONG_IPSEC_POLICY.saDataSizeKb;
  if (!Number.isInteger(saLifetime) || saLifetime < SA_LIFETIME.min || saLifetime > SA_LIFETIME.max) {
    throw new ConfigError(`${field}.saLifetimeSeconds must be an integer from ${SA_LIFETIME.min} to ${SA_LIFETIME.max}, got ${saLifetime}`);
  }
  if (!Number.isInteger(saDatasize) || saDatasize < SA_DATA_SIZE.min || saDatasize > SA_DATA_SIZE.max) {
    throw new ConfigError(`${field}.saDataSizeKb must be an integer from ${SA_DATA_SIZE.min} to ${SA_DATA_SIZE.max}, got ${saDatasize}`);
  }
  return {
    ikeEncryption: policy.ikeEncryption,
    ikeIntegrity: policy.ikeIntegrity,
    dhGroup: policy.dhGroup,
    ipsecEncryption: policy.ipsecEncryption,
    ipsecIntegrity: policy.ipsecIntegrity,
    pfsGroup: policy.pfsGroup,
    saLifetime,
    saDatasize,
  };
}
