const HEADERS: Record<string, string> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "frame-ancestors 'none'",
  "Referrer-Policy": "no-referrer",
};

/** Adds the management app's security headers (spec §3.3) to a response. */
export function withSecurityHeaders(response: Response): Response {
  const out = new Response(response.body, response);
  for (const [name, value] of Object.entries(HEADERS)) out.headers.set(name, value);
  if (out.headers.get("Content-Type")?.startsWith("text/html")) {
    out.headers.set("Cache-Control", "no-store, no-cache, must-revalidate");
  }
  return out;
}
