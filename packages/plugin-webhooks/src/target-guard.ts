import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (the system resolver unless the plugin is given another). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** A URL that may be called, and the checked address to connect to (pinned: a later DNS answer cannot move it). */
export interface Target {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Why a URL may not be called; its message names no secret and says what to change. */
export class TargetRefused extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TargetRefused';
  }
}

/**
 * Addresses a creator's endpoint must not reach unless the operator allows private networks:
 * this machine, its networks, the cloud metadata service, and what is not unicast on the
 * internet. Node's `BlockList` also matches IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`)
 * against the IPv4 ranges.
 */
const INTERNAL_RANGES: Array<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['192.0.2.0', 24, 'ipv4'], // documentation
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['198.51.100.0', 24, 'ipv4'], // documentation
  ['203.0.113.0', 24, 'ipv4'], // documentation
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 96, 'ipv6'], // unspecified, loopback, IPv4-compatible
  ['64:ff9b::', 96, 'ipv6'], // NAT64: would reach whatever IPv4 address it embeds
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'], // discard
  ['2001::', 32, 'ipv6'], // Teredo
  ['2001:db8::', 32, 'ipv6'], // documentation
  ['2002::', 16, 'ipv6'], // 6to4: embeds an IPv4 address
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['fec0::', 10, 'ipv6'], // site-local (deprecated)
  ['ff00::', 8, 'ipv6'], // multicast
];
const internal = new BlockList();
for (const [network, prefix, type] of INTERNAL_RANGES) internal.addSubnet(network, prefix, type);

/** Names that mean this machine or a private network, whatever DNS says. */
const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

/** Whether an IP address is one an endpoint must not reach by default. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (!family) return true;
  return internal.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

export interface TargetGuardOptions {
  allowPrivateNetworks: boolean;
  resolve: ResolveHost;
  /** How long a lookup may take before the host counts as not resolving. */
  timeoutMs: number;
}

/**
 * The SSRF guard: says whether a URL may be called, and where to connect. Asked when an
 * endpoint is saved and again before every attempt, as DNS may answer differently later;
 * the attempt then connects to the address checked here, not to a fresh lookup.
 */
export class TargetGuard {
  readonly #o: TargetGuardOptions;

  constructor(options: TargetGuardOptions) {
    this.#o = options;
  }

  /** The URL's target, or a `TargetRefused` saying why not. */
  async check(raw: string): Promise<Target> {
    const { allowPrivateNetworks } = this.#o;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new TargetRefused('must be a URL like https://example.com/hooks');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowPrivateNetworks)) throw new TargetRefused('must be an https URL');
    if (url.username || url.password) throw new TargetRefused('must not carry a user name or password');
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!allowPrivateNetworks && INTERNAL_NAMES.test(hostname.replace(/\.$/, ''))) throw new TargetRefused(`must not point at ${hostname}: a local or private host name`);

    const family = isIP(hostname);
    const addresses: ResolvedAddress[] = family ? [{ address: hostname, family: family === 6 ? 6 : 4 }] : await this.#resolve(hostname);
    if (!allowPrivateNetworks) {
      const refused = addresses.find(({ address }) => isInternalAddress(address));
      if (refused) {
        throw new TargetRefused(
          family ? `must not point at ${hostname}: a loopback, private or reserved address` : `must not point at ${hostname}: it resolves to a loopback, private or reserved address (${refused.address})`,
        );
      }
    }
    return { url, ...addresses[0]! };
  }

  async #resolve(hostname: string): Promise<ResolvedAddress[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), this.#o.timeoutMs);
    });
    let addresses: ResolvedAddress[];
    try {
      addresses = await Promise.race([this.#o.resolve(hostname), timeout]);
    } catch {
      addresses = [];
    } finally {
      clearTimeout(timer);
    }
    if (!addresses.length) throw new TargetRefused(`its host ${hostname} could not be resolved`);
    return addresses;
  }
}
