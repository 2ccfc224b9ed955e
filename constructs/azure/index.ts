/**
 * Azure constructs: hub network, AKS, RBAC Key Vault, VPN gateway with point-to-site and site-to-site connections.
 */
export * from "./aks/aks-cluster";
export * from "./aks/container-insights";
export * from "./core/check-at";
export * from "./core/standard-tags-aspect";
export * from "./identity/secret-free-reader-role";
export * from "./keyvault/rbac-key-vault";
export * from "./monitor/audit-categories";
export * from "./monitor/audit-logs";
export * from "./network/hub-network";
export * from "./network/firewall-rules";
export * from "./network/isolation";
export * from "./network/reachability";
export * from "./network/reachability-check";
export * from "./network/secured-hub";
export * from "./vpn/bgp-asn";
export * from "./vpn/ipsec-policy";
export * from "./vpn/point-to-site";
export * from "./vpn/site-to-site-vpn";
export * from "./vpn/vpn-connection-template";
export * from "./vpn/vpn-gateway";
