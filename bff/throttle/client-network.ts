import { isIPv4, isIPv6 } from "node:net";

/**
 * The client network a request comes from, as the per-account throttle counts it: an IPv4
 * address, or the /64 prefix of an IPv6 address (one household or one server gets a whole /64,
 * so counting single IPv6 addresses would give an attacker 2^64 fresh budgets). `req.ip` is only
 * as right as TRUST_PROXY (README, "Environment variables").
 */
export function clientNetworkOf(ip: string | undefined): string {
  if (ip === undefined || ip === "") return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped !== null) return mapped[1]!;
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return "unknown";
  return `${expandIPv6(ip).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, `::` expanded, zone id dropped. */
function expandIPv6(address: string): string[] {
  const [withoutZone] = address.split("%");
  const [head = "", tail] = withoutZone!.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  // An embedded IPv4 tail (::ffff:1.2.3.4 forms other than the mapped one) counts as two groups.
  const toGroups = (groups: string[]) => groups.flatMap((group) => (group.includes(".") ? ["0", "0"] : [group]));
  const left = toGroups(headGroups);
  const right = toGroups(tailGroups);
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(0, missing)).fill("0"), ...right].map((group) => (parseInt(group, 16) || 0).toString(16));
}
