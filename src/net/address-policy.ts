import { BlockList, isIP } from 'node:net';

/**
 * Which IP addresses a download may connect to. Only ordinary public unicast addresses pass; everything in the IANA
 * special-purpose registries is refused, by category so the error can say why. Node's `BlockList` matches
 * IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) against the IPv4 rules, so the mapped forms are covered too.
 */
export type AddressCategory =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unspecified'
  | 'shared'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'translation'
  | 'invalid';

type Rule = [category: Exclude<AddressCategory, 'public' | 'invalid'>, network: string, prefix: number];

const ipv4Rules: Rule[] = [
  ['unspecified', '0.0.0.0', 8],
  ['private', '10.0.0.0', 8],
  ['shared', '100.64.0.0', 10], // carrier-grade NAT
  ['loopback', '127.0.0.0', 8],
  ['link-local', '169.254.0.0', 16], // includes cloud metadata endpoints (169.254.169.254)
  ['private', '172.16.0.0', 12],
  ['reserved', '192.0.0.0', 24],
  ['documentation', '192.0.2.0', 24],
  ['translation', '192.88.99.0', 24], // 6to4 relay anycast
  ['private', '192.168.0.0', 16],
  ['reserved', '198.18.0.0', 15], // benchmarking
  ['documentation', '198.51.100.0', 24],
  ['documentation', '203.0.113.0', 24],
  ['multicast', '224.0.0.0', 4],
  ['reserved', '240.0.0.0', 4], // includes 255.255.255.255
];

const ipv6Rules: Rule[] = [
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  ['reserved', '::', 96], // IPv4-compatible (deprecated)
  ['translation', '::ffff:0:0:0', 96], // IPv4-translated (SIIT): not the mapped ::ffff:0:0/96, which BlockList folds
  ['translation', '64:ff9b::', 96], // NAT64 can reach IPv4 internals
  ['translation', '64:ff9b:1::', 48],
  ['reserved', '100::', 64], // discard-only
  ['reserved', '2001::', 23], // IETF protocol assignments, Teredo
  ['documentation', '2001:db8::', 32],
  ['translation', '2002::', 16], // 6to4 embeds an IPv4 address
  ['documentation', '3fff::', 20],
  ['private', 'fc00::', 7], // unique local
  ['link-local', 'fe80::', 10],
  ['reserved', 'fec0::', 10], // site-local (deprecated)
  ['multicast', 'ff00::', 8],
];

/** One BlockList per category, so a match names its reason. Loopback comes first: `::1` is also inside `::/96`. */
const lists = new Map<Rule[0], BlockList>();
for (const [category, network, prefix] of [...ipv4Rules, ...ipv6Rules]) {
  let list = lists.get(category);
  if (!list) {
    list = new BlockList();
    lists.set(category, list);
  }
  list.addSubnet(network, prefix, isIP(network) === 6 ? 'ipv6' : 'ipv4');
}
const order: Rule[0][] = [
  'loopback',
  'unspecified',
  'private',
  'link-local',
  'shared',
  'multicast',
  'documentation',
  'translation',
  'reserved',
];

/** Strips the brackets a URL puts around an IPv6 literal (`[::1]`). */
export const unbracket = (host: string): string =>
  host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;

export function classifyAddress(address: string): AddressCategory {
  const ip = unbracket(address);
  const family = isIP(ip);
  if (family === 0) return 'invalid';
  const type = family === 6 ? 'ipv6' : 'ipv4';
  for (const category of order) {
    if (lists.get(category)?.check(ip, type)) return category;
  }
  return 'public';
}

export interface AddressPolicy {
  /** Tests only (`VETLINE_UNSAFE_ALLOW_LOOPBACK_HTTP`): loopback passes. Private and link-local never do. */
  allowLoopback: boolean;
}

/** `null` when the address may be connected to, else the category that forbids it. */
export function forbiddenCategory(address: string, policy: AddressPolicy): AddressCategory | null {
  const category = classifyAddress(address);
  if (category === 'public') return null;
  if (category === 'loopback' && policy.allowLoopback) return null;
  return category;
}
