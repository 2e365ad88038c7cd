import { BiogradError } from "../core/errors.js";

/**
 * An output that could not be written once the work was done (disk full, I/O error, a path
 * that changed under us). It is a failed run (exit 1), not bad input: the request was fine.
 * The message is one line: `cannot write fit.json: no space left on device (ENOSPC)`.
 */
export class OutputWriteError extends BiogradError {
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string) {
    super("write_failed", `cannot write ${path}: ${reason}`);
    this.name = "OutputWriteError";
    this.path = path;
    this.reason = reason;
  }
}

// The strerror texts users know from other Unix tools, without Node's "open '/x'" tail.
const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
  EPIPE: "broken pipe",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  EFBIG: "file too large",
  ENOENT: "no such file or directory",
  ENOTDIR: "not a directory",
  EISDIR: "is a directory",
  EEXIST: "file exists",
  EMFILE: "too many open files",
  ENFILE: "too many open files in system",
  EXDEV: "cross-device link",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
  EBUSY: "device or resource busy",
  ETXTBSY: "text file busy",
  ECONNRESET: "connection reset by peer",
};

/** `no space left on device (ENOSPC)` for a Node system error; the message's first line otherwise. */
export function describeIoError(error: unknown): string {
  const code = errnoCode(error);
  if (code !== undefined) {
    const text = ERRNO_TEXT[code] ?? nodeErrnoText(error as Error, code);
    return `${text} (${code})`;
  }
  if (error instanceof Error) return firstLine(error.message) || error.name;
  return firstLine(String(error));
}

/** The errno name (`ENOSPC`) of a Node system error, if it is one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

// Node writes "ENOSPC: no space left on device, write"; keep the part between.
function nodeErrnoText(error: Error, code: string): string {
  const m = new RegExp(`^${code}: ([^,]+)`).exec(error.message ?? "");
  return m ? m[1]!.trim() : "system error";
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}
