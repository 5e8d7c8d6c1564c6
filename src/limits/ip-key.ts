// The one key under which a client IP is limited (password failures, code sends, failed admin calls,
// guests made, provider flows started, image challenges). An IPv6 client
// usually holds a whole /64 (often more), so counting each address apart would give it 2^64
// budgets: IPv6 addresses are masked to IP_V6_PREFIX_LENGTH bits first. The key holds only a
// keyed HMAC of the masked address (the IPv4 space is small enough to reverse a plain hash).
import { toBase64Url } from "../crypto/encoding";
import { keyedDigest } from "../crypto/keyed-hash";

/** The limited resource; each has its own windows. */
export type IpPurpose = "ip-failures" | "ip-sends" | "admin-failures" | "ip-guests" | "provider-flows" | "ip-captchas";

/**
 * The canonical form of the part of `ip` that identifies a client: an IPv4 address as is (also
 * when written IPv4-mapped, `::ffff:a.b.c.d`), an IPv6 address masked to `v6PrefixLength` bits,
 * as eight lower-case hex groups. Anything else is kept as given (Cloudflare's edge sets
 * CF-Connecting-IP, so that is never a client's choice).
 */
export function maskedIp(ip: string, v6PrefixLength: number): string {
  const groups = ipv6Groups(ip.trim().toLowerCase().replace(/%.*$/, ""));
  if (!groups) return ip;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join(".");
  }
  return groups
    .map((group, index) => {
      const bitsKept = Math.min(16, Math.max(0, v6PrefixLength - index * 16));
      return (group & (0xffff << (16 - bitsKept)) & 0xffff).toString(16);
    })
    .join(":");
}

/**
 * The RateWindow name for `purpose` and this client, keyed by `secret` (the signing-key secret);
 * a missing IP (only outside Cloudflare) shares one key.
 */
export async function ipLimitKey(purpose: IpPurpose, ip: string | null, v6PrefixLength: number, secret: string): Promise<string> {
  const masked = ip === null ? "" : maskedIp(ip, v6PrefixLength);
  return `${purpose}:${toBase64Url(await keyedDigest(secret, "edge-signin/ip-key/v1", `ip:${masked}`))}`;
}

/** The eight 16-bit groups of an IPv6 address (`::` and a dotted IPv4 tail allowed), or null. */
function ipv6Groups(text: string): number[] | null {
  if (!text.includes(":")) return null;
  let body = text;
  const tail: number[] = [];
  const v4 = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const octets = v4.slice(2).map(Number);
    if (octets.some((octet) => octet > 255)) return null;
    tail.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
    body = v4[1]!.endsWith("::") ? v4[1]! : v4[1]!.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":"));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if ([...head, ...rest].some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return null;
  const missing = 8 - tail.length - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest]
    .map((group) => parseInt(group, 16))
    .concat(tail);
}
