/** IPv4 and IPv6 addresses and CIDR ranges, for `cidr` matching in event patterns and SNS filter policies. */

export interface IpAddress {
  bits: 32 | 128;
  value: bigint;
}

const parseIpv4 = (text: string): IpAddress | undefined => {
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)?.slice(1).map(Number);
  if (!octets || octets.some((octet) => octet > 255)) return undefined;
  const value = octets.reduce((sum, octet) => (sum << 8n) + BigInt(octet), 0n);
  return { bits: 32, value };
};

const hexGroups = (text: string): number[] | undefined => {
  if (text === '') return [];
  const groups = text.split(':');
  if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => Number.parseInt(group, 16));
};

const parseIpv6 = (text: string): IpAddress | undefined => {
  let hex = text;
  const tailStart = text.lastIndexOf(':') + 1;
  if (text.includes('.')) {
    // An IPv4 tail (`::ffff:10.0.0.1`) stands for the last two groups.
    const tail = parseIpv4(text.slice(tailStart));
    if (!tail) return undefined;
    const high = Number(tail.value >> 16n).toString(16);
    const low = Number(tail.value & 0xffffn).toString(16);
    hex = `${text.slice(0, tailStart)}${high}:${low}`;
  }
  const halves = hex.split('::');
  if (halves.length > 2) return undefined;
  const head = hexGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? hexGroups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  const value = groups.reduce((sum, group) => (sum << 16n) + BigInt(group), 0n);
  return { bits: 128, value };
};

export const parseIp = (text: string): IpAddress | undefined =>
  text.includes(':') ? parseIpv6(text) : parseIpv4(text);

/** The address range of `address/prefix-length`, or undefined when malformed. */
export const cidrRange = (
  text: string,
): { bits: 32 | 128; low: bigint; high: bigint; prefix: number } | undefined => {
  const [address = '', length = '', ...extra] = text.split('/');
  const network = parseIp(address);
  const prefix = /^\d{1,3}$/.test(length) ? Number(length) : Number.NaN;
  if (!network || extra.length > 0 || !(prefix <= network.bits)) return undefined;
  const hostMask = (1n << BigInt(network.bits - prefix)) - 1n;
  const low = network.value & ~hostMask;
  return { bits: network.bits, low, high: low | hostMask, prefix };
};
