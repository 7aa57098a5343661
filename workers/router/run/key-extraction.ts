const KNOWN_SCHEMES = ["bearer", "basic", "digest", "hoba", "mutual", "negotiate", "oauth", "scram-sha-1", "scram-sha-256", "vapid"];
const KEY_HEADERS = ["X-API-Key", "X-Auth-Token", "Api-Key", "X-Access-Token"];
const KEY_PARAMS = ["api_key", "apiKey"];

/** The key in an `Authorization` header: Bearer, a plain value, Basic with an empty user, or a custom scheme. */
export function keyFromAuthorization(header: string | null): string | undefined {
  if (header === null || header === "") return undefined;
  if (header.startsWith("Bearer ") && header.length > 7) return header.slice(7);
  const space = header.indexOf(" ");
  if (space === -1) return KNOWN_SCHEMES.includes(header.toLowerCase()) ? undefined : header;
  const scheme = header.slice(0, space).toLowerCase();
  if (scheme === "basic") {
    try {
      const decoded = atob(header.slice(6));
      return decoded.startsWith(":") && decoded.length > 1 ? decoded.slice(1) : undefined;
    } catch {
      return undefined;
    }
  }
  if (KNOWN_SCHEMES.includes(scheme)) return undefined;
  const key = header.slice(space + 1);
  return key === "" ? undefined : key;
}

/**
 * The API key of a request (spec §4.1): the first location that yields a value wins —
 * Authorization, then X-API-Key, X-Auth-Token, Api-Key, X-Access-Token, then `?api_key`, `?apiKey`.
 */
export function extractApiKey(headers: Headers, url: URL): string | undefined {
  const fromAuthorization = keyFromAuthorization(headers.get("Authorization"));
  if (fromAuthorization !== undefined) return fromAuthorization;
  for (const name of KEY_HEADERS) {
    const value = headers.get(name);
    if (value !== null && value !== "") return value;
  }
  for (const name of KEY_PARAMS) {
    const value = url.searchParams.get(name);
    if (value !== null && value !== "") return value;
  }
  return undefined;
}
