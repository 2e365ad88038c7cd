import { isIP } from "node:net";
import { InputError } from "../core/errors.js";

/** What `biograd serve` is started with; every field has a default (see DEFAULTS). */
export interface ServeOptions {
  port: number;
  host: string;
  /** True when the host was given explicitly (`--host`): only then may it be non-loopback. */
  hostGiven: boolean;
  /** Largest upload body, in bytes. */
  maxUploadBytes: number;
  /** Tasks running at once (each on its own worker thread); more wait in the queue. */
  maxTasks: number;
  /** Tasks waiting beyond the running ones; a submission past this is refused with 429. */
  maxQueued: number;
  /** Finished tasks kept for the session; the oldest finished ones are dropped past this. */
  keepFinished: number;
  /** Rows and columns an upload may have. */
  maxRows: number;
  maxColumns: number;
  /** The directory of the built page (index.html and its assets). */
  webRoot?: string;
}

export const DEFAULTS = {
  port: 8787,
  host: "127.0.0.1",
  hostGiven: false,
  maxUploadBytes: 50 * 2 ** 20,
  maxTasks: 2,
  maxQueued: 200,
  keepFinished: 1000,
  maxRows: 1_000_000,
  maxColumns: 1000,
} as const satisfies ServeOptions;

/** Loopback addresses and the one name that always means loopback. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === "localhost" || h === "::1" || h === "[::1]") return true;
  return isIP(h) === 4 && h.startsWith("127.");
}

/** An address that listens on every interface. */
export function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

/**
 * Refuses a non-loopback bind unless it was asked for with `--host`; returns the warning to
 * print for one that was (null for loopback). Anyone who can reach such an address and
 * learns the token can run tasks and read uploads.
 */
export function checkBind(options: Pick<ServeOptions, "host" | "hostGiven">): string | null {
  const { host, hostGiven } = options;
  if (isLoopback(host)) return null;
  if (!hostGiven) {
    throw new InputError(
      `--host: ${host} is not a loopback address; give it explicitly with --host to serve beyond this machine`,
    );
  }
  return `biograd serve: warning: listening on ${host}, reachable from other machines; anyone with the token can run tasks and read your uploads`;
}

/** The `host[:port]` form of a host for URLs and Host headers (IPv6 in brackets). */
export function hostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}
