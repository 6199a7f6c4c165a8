/**
 * Which hosts a proxy does not apply to: the entries of `noProxy` / `NO_PROXY`, read as curl (7.86 and later) and
 * Go read them. An entry is `*` (every host), a host name (itself and its subdomains; a leading `.` or `*.` is
 * dropped), an IP address (IPv6 with or without brackets), or a CIDR range (`10.0.0.0/8`, `fd00::/8`) that an IP
 * address target falls in; any of them with `:port` to match that port only. undici's own matching knows neither
 * ranges nor IPv6 addresses (it reads `::1` as host `:` port 1), so the proxy dispatcher asks this one.
 */
import { BlockList, isIP } from 'node:net';

/** Decides for a target host and port whether it is reached directly. */
export type NoProxyMatcher = (hostname: string, port: number) => boolean;

interface HostEntry {
  host: string;
  port: number;
}

/** Parses the comma- or space-separated entries once; the matcher is called per request. */
export function createNoProxyMatcher(noProxy: string): NoProxyMatcher {
  const entries = noProxy.split(/[\s,]+/).filter((entry) => entry !== '');
  if (entries.includes('*')) return () => true;
  const hosts: HostEntry[] = [];
  const ranges: Array<{ list: BlockList; port: number }> = [];
  for (const entry of entries) {
    const { value, port } = splitPort(entry.toLowerCase());
    const slash = value.indexOf('/');
    if (slash > 0) {
      const address = unbracket(value.slice(0, slash));
      const prefix = Number(value.slice(slash + 1));
      const family = isIP(address);
      if (family !== 0 && Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128)) {
        const list = new BlockList();
        list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
        ranges.push({ list, port });
        continue;
      }
    }
    const address = unbracket(value);
    const family = isIP(address);
    if (family !== 0) {
      // An address matches however it is written (::1 and 0:0:0:0:0:0:0:1).
      const list = new BlockList();
      list.addAddress(address, family === 4 ? 'ipv4' : 'ipv6');
      ranges.push({ list, port });
      continue;
    }
    hosts.push({ host: address.replace(/^\*?\./, ''), port });
  }
  return (hostname, port) => {
    const host = unbracket(hostname.toLowerCase());
    for (const entry of hosts) {
      if (entry.port !== 0 && entry.port !== port) continue;
      if (host === entry.host || host.endsWith(`.${entry.host}`)) return true;
    }
    const family = isIP(host);
    if (family === 0) return false;
    return ranges.some((range) => (range.port === 0 || range.port === port) && range.list.check(host, family === 4 ? 'ipv4' : 'ipv6'));
  };
}

/** `host:port` → both; an IPv6 address without brackets has no port (`::1`, `fd00::/8`). */
function splitPort(entry: string): { value: string; port: number } {
  const bracketed = /^(\[[^\]]+\](?:\/\d+)?):(\d+)$/.exec(entry);
  if (bracketed !== null) return { value: bracketed[1]!, port: Number(bracketed[2]) };
  if ((entry.match(/:/g) ?? []).length !== 1) return { value: entry, port: 0 };
  const plain = /^(.+):(\d+)$/.exec(entry);
  return plain === null ? { value: entry, port: 0 } : { value: plain[1]!, port: Number(plain[2]) };
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
