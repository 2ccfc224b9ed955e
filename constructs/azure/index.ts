/**
 * Azure constructs: spoke network, Virtual WAN secured hub, AKS, RBAC Key Vault, site-to-site and point-to-site VPN in the hub.
 */
export * from "./aks/aks-cluster";
export * from "./aks/container-insights";
export * from "./core/check-at";
export * from "./core/standard-tags-aspect";
export * from "./identity/built-in-roles";
export * from "./identity/role-assignment-condition";
export * from "./identity/secret-free-reader-role";
export * from "./keyvault/rbac-key-vault";
export * from "./monitor/audit-categories";
export * from "./monitor/audit-logs";
export * from "./network/spoke-network";
export * from "./network/firewall-rules";
export * from "./network/isolation";
export * from "./network/reachability";
export * from "./network/reachability-check";
export * from "./network/secured-hub";
export * from "./vpn/audiences";
export * from "./vpn/ipsec-policy";
export * from "./vpn/point-to-site";
export * from "./vpn/scale-units";
export * from "./vpn/site-to-site-vpn";
export * from "./vpn/static-routing";
export * from "./vpn/vpn-connection-template";
