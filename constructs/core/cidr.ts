import { Netmask } from "netmask";
import { ConfigError } from "../errors";

/** A parsed IPv4 block, wrapping the netmask library so callers never do bit math. */
export type Ipv4Block = Netmask;

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parse an IPv4 CIDR and insist it is canonical (the address is the network address),
 * so "10.0.0.1/16" is rejected instead of silently becoming 10.0.0.0/16.
 */
export function parseCidr(field: string, cidr: string): Ipv4Block {
  const match = CIDR_PATTERN.exec(cidr);
  if (!match || match.slice(1, 5).some((octet) => Number(octet) > 255) || Number(match[5]) > 32) {
    throw new ConfigError(`${field} must be an IPv4 CIDR like 10.0.0.0/16, got "${cidr}"`);
  }
  const block = new Netmask(cidr);
  if (block.base !== cidr.split("/")[0]) {
    throw new ConfigError(
      `${field} "${cidr}" is not a network address; use ${block.base}/${block.bitmask}`,
    );
  }
  return block;
}

/**
 * What is wrong with a string that has the shape of an IPv4 CIDR, or undefined when it is a
 * canonical block: "each octet is at most 255", "the prefix is at most /32", or the network
 * address to use instead.
 */
export function cidrProblem(cidr: string): string | undefined {
  const match = CIDR_PATTERN.exec(cidr);
  if (!match) return "must be an IPv4 CIDR like 10.0.0.0/16";
  if (match.slice(1, 5).some((octet) => Number(octet) > 255)) return "each octet is at most 255";
  if (Number(match[5]) > 32) return "the prefix is at most /32";
  const block = new Netmask(cidr);
  return block.base === cidr.split("/")[0] ? undefined : `is not a network address; use ${block.base}/${block.bitmask}`;
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.contains(b) || b.contains(a);
}

/** True when `inner` lies entirely inside `outer`. */
export function within(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return outer.contains(inner) && inner.bitmask >= outer.bitmask;
}

/** A named CIDR used in overlap checks, e.g. `{ name: "customers[acme].addressSpaces[0]", cidr: "..." }`. */
export interface NamedCidr {
  /** Config path of the block, used in error messages. */
  readonly name: string;
  /** The IPv4 CIDR. */
  readonly cidr: string;
}

/** Throw a ConfigError naming the first pair of blocks that overlap. */
export function assertNoOverlaps(blocks: readonly NamedCidr[], fix: string): void {
  const parsed = blocks.map((b) => ({ ...b, block: parseCidr(b.name, b.cidr) }));
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      if (overlaps(parsed[i].block, parsed[j].block)) {
        throw new ConfigError(
          `${parsed[j].name} ${parsed[j].cidr} overlaps ${parsed[i].name} ${parsed[i].cidr}; ${fix}`,
        );
      }
    }
  }
}

/**
 * Carve `count` consecutive blocks of prefix length `prefix` out of `parent`, starting at
 * the `offset`-th block of that size. Throws when they do not fit.
 */
export function carveSubnets(
  field: string,
  parent: string,
  prefix: number,
  count: number,
  offset = 0,
): string[] {
  const outer = parseCidr(field, parent);
  if (prefix < outer.bitmask) {
    throw new ConfigError(`${field} ${parent} cannot hold /${prefix} subnets (larger than the block)`);
  }
  let block = new Netmask(`${outer.base}/${prefix}`).next(offset);
  const result: string[] = [];
  for (let i = 0; i < count; i++) {
    if (!within(outer, block)) {
      throw new ConfigError(
        `${field} ${parent} is too small for ${offset + count} /${prefix} subnets; use a larger block or fewer availability zones`,
      );
    }
    result.push(block.toString());
    block = block.next();
  }
  return result;
}
