import { randomBytes, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { MiddlewareHandler } from "hono";
import { errorBody } from "./http-error.js";
import { hostForUrl, isLoopback, isWildcard } from "./options.js";

/** A fresh random token for one server start (32 bytes, URL-safe). */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The Host headers this server answers: its own `host:port`, and for a loopback bind the other
 * loopback spellings. A DNS-rebinding page reaches the server under its own domain name, so
 * any other Host is refused. A wildcard bind (0.0.0.0, ::, only with --host) cannot know its
 * addresses: it accepts any IP literal (never a name, which is what rebinding needs).
 */
export function hostAllowed(header: string | undefined, host: string, port: number): boolean {
  if (header === undefined) return false;
  const h = header.toLowerCase();
  const own = new Set([`${hostForUrl(host).toLowerCase()}:${port}`]);
  if (isLoopback(host) || isWildcard(host)) {
    for (const name of ["localhost", "127.0.0.1", "[::1]"]) own.add(`${name}:${port}`);
  }
  if (own.has(h)) return true;
  if (!isWildcard(host)) return false;
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(h);
  if (m === null || Number(m[2]) !== port) return false;
  return isIP(m[1]!.replace(/^\[|\]$/g, "")) !== 0;
}

/** Headers on every response: a strict CSP (no inline script, no other origins), and more. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Vega and its embedder set style attributes and a <style> element; no script can hide there.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("X-Frame-Options", "DENY");
    c.header("Cross-Origin-Opener-Policy", "same-origin");
    c.header("Cross-Origin-Resource-Policy", "same-origin");
    if (c.req.path.startsWith("/api/")) c.header("Cache-Control", "no-store");
  };
}

/** Host (every route) and Origin (when sent) must be this server's own: 403 otherwise. */
export function originChecks(bound: { host: string; port: number }): MiddlewareHandler {
  return async (c, next) => {
    const hostHeader = c.req.header("host");
    // Read at each request: the port is known only once listening (port 0 picks one).
    if (!hostAllowed(hostHeader, bound.host, bound.port)) {
      return c.json(
        errorBody(`Host ${JSON.stringify(hostHeader ?? "")} is not this server`, null),
        403,
      );
    }
    const origin = c.req.header("origin");
    if (origin !== undefined && origin.toLowerCase() !== `http://${hostHeader!.toLowerCase()}`) {
      return c.json(
        errorBody(`cross-origin request from ${JSON.stringify(origin)} refused`, null),
        403,
      );
    }
    // Browsers send Sec-Fetch-Site on every request; anything but same-origin or a typed URL is refused.
    const site = c.req.header("sec-fetch-site");
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      return c.json(errorBody(`cross-site request (${site}) refused`, null), 403);
    }
    await next();
  };
}

/** Every /api route needs the token: `Authorization: Bearer TOKEN` or `?token=TOKEN`. */
export function tokenCheck(token: string): MiddlewareHandler {
  const want = Buffer.from(token);
  return async (c, next) => {
    const bearer = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    const given = Buffer.from(bearer ?? c.req.query("token") ?? "");
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      return c.json(
        errorBody("missing or wrong token: open the URL biograd serve printed", null),
        401,
      );
    }
    await next();
  };
}
