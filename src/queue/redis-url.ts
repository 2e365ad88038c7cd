import { InputError } from "../core/errors.js";

/** Where the queue lives: a Redis server and database, parsed from `--queue`. */
export interface QueueAddress {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** The URL without its password, for messages. */
  display: string;
}

const FORM = "redis://host:6379[/db] (or rediss:// for TLS)";

/**
 * Parses `redis://[user:password@]host[:port][/db]`. Anything else — another scheme, a path
 * that is not a database number, a port out of range — is one InputError naming `--queue`,
 * raised before any connection is tried.
 */
export function parseQueueUrl(text: string, option = "--queue"): QueueAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`${option}: expected ${FORM}, got "${text}"`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new InputError(`${option}: expected ${FORM}, got "${text}" (scheme ${url.protocol})`);
  }
  if (url.hostname === "")
    throw new InputError(`${option}: no host in "${text}"; expected ${FORM}`);
  const port = url.port === "" ? 6379 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InputError(`${option}: port must be 1-65535 in "${text}"`);
  }
  const path = url.pathname.replace(/^\//, "");
  if (path !== "" && !/^\d{1,5}$/.test(path)) {
    throw new InputError(
      `${option}: the path must be a database number (/0, /1, …), got "/${path}"`,
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw new InputError(`${option}: no query or fragment allowed in "${text}"; expected ${FORM}`);
  }
  const db = path === "" ? 0 : Number(path);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1"); // IPv6 literals without brackets
  const address: QueueAddress = {
    host,
    port,
    db,
    tls: url.protocol === "rediss:",
    display: `${url.protocol}//${url.username ? `${url.username}@` : ""}${url.host}/${db}`,
  };
  if (url.username) address.username = decodeURIComponent(url.username);
  if (url.password) address.password = decodeURIComponent(url.password);
  return address;
}
