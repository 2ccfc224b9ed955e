/**
 * Why site-to-site customers never run BGP (no cdktf import: the config schema loads this too).
 *
 * With BGP, Virtual WAN installs whatever prefixes a branch advertises and does not filter them
 * against the connected VNets or other branches; the hub prefers the longest match. A customer's
 * device could advertise a more specific prefix of the spoke (10.20.16.0/24, 10.20.8.4/32) or
 * another customer's range and draw flows the firewall allows (other customers', DB admins') into
 * its own tunnel, and it would learn every other branch's prefixes. With static routing the hub
 * installs exactly the VPN site's `address_cidrs` for the connection, which synth checks overlap
 * nothing of ours nor another customer, and advertises nothing to the customer.
 */
export const CUSTOMER_BGP_REFUSED =
  "customers use static routing only: over BGP a customer could advertise a more specific prefix of the spoke (e.g. a /24 or /32 in it) or another customer's range, " +
  "and the hub would route other customers' allowed flows and DB admins' sessions to it; it would also learn every other branch's prefixes. " +
  "Remove bgp: the hub routes exactly the customer's addressSpaces to its tunnel, and the customer's device routes the spoke services it may reach into the tunnel statically (docs/runbooks/site-to-site-customer.md)";
