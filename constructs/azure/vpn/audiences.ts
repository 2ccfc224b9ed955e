/** Provider-free constants about point-to-site sign-in, shared with the policy rules (which load no provider package). */

/**
 * Microsoft-registered, multi-tenant Azure VPN Client applications: any user of the tenant can get a
 * token for them (no assignment can be required), so they do not limit who connects.
 */
export const MICROSOFT_VPN_AUDIENCES: readonly string[] = [
  "c632b3df-fb67-4d84-bdcf-b95ad541b5c8", // Azure VPN Client, Microsoft-registered (public cloud)
  "41b23e61-6c1e-4545-b367-cd054e0ed4b4", // "Azure VPN" app, the earlier manually consented registration
];
