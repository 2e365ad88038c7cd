import { basename, dirname, join } from "node:path";
import { type OutputFs, realFs } from "./output-fs.js";
import { resolveOutput } from "./output-target.js";
import { tempTag } from "./temp-tag.js";
import { describeIoError, OutputWriteError } from "./write-error.js";

/**
 * Replaces the file at `path` with `data` so that readers see either the old file or the
 * whole new one, never a part, and a crash leaves the old one:
 *
 *   temp file beside the target (O_EXCL) → write all → fsync → rename over target → fsync dir
 *
 * A symlink is written through (its target is replaced; the link stays a link), the existing
 * file's mode (and, when permitted, owner) is kept, and a FIFO, device, socket or directory
 * at the path is refused rather than replaced. Any failure removes the temp file and throws
 * an `OutputWriteError` naming `shownAs` (the path as the user gave it): exit 1.
 */
export function replaceFile(
  path: string,
  data: string | Uint8Array,
  options: { fs?: OutputFs; shownAs?: string } = {},
): void {
  const fs = options.fs ?? realFs;
  const shown = options.shownAs ?? path;
  if (typeof data !== "string" && !(data instanceof Uint8Array)) {
    throw new TypeError(`replaceFile: expected a string or bytes for ${shown}`);
  }
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const failure = (error: unknown) => new OutputWriteError(shown, describeIoError(error));
  let resolved: ReturnType<typeof resolveOutput>;
  try {
    resolved = resolveOutput(path, fs);
  } catch (error) {
    throw failure(error);
  }
  if ("problem" in resolved) throw new OutputWriteError(shown, resolved.problem);
  const { target, existing } = resolved;
  const tmp = join(dirname(target), `.${basename(target)}.${tempTag()}.tmp`);

  let fd: number | null = null;
  let renamed = false;
  try {
    fd = fs.openSync(tmp, "wx", existing ? existing.mode & 0o7777 : 0o666);
    if (existing) {
      fs.fchmodSync(fd, existing.mode & 0o7777); // the umask must not narrow the old mode
      keepOwner(fs, fd, existing.uid, existing.gid);
    }
    for (let off = 0; off < bytes.length; ) {
      off += fs.writeSync(fd, bytes, off, bytes.length - off);
    }
    fs.fsyncSync(fd);
    const closing = fd;
    fd = null;
    fs.closeSync(closing);
    fs.renameSync(tmp, target);
    renamed = true;
    syncDirectory(fs, dirname(target));
  } catch (error) {
    if (fd !== null) ignore(() => fs.closeSync(fd!));
    if (!renamed) ignore(() => fs.unlinkSync(tmp));
    throw failure(error);
  }
}

// Only root may give a file away; everyone else keeps their own ownership silently.
export function keepOwner(fs: OutputFs, fd: number, uid: number, gid: number): void {
  if (process.getuid?.() === 0) ignore(() => fs.fchownSync(fd, uid, gid));
}

/** Makes the rename itself durable. File systems without directory fsync are accepted. */
export function syncDirectory(fs: OutputFs, dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "ENOTSUP" && code !== "EISDIR" && code !== "EPERM") {
      throw error;
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function ignore(action: () => void): void {
  try {
    action();
  } catch {
    // cleanup after a failure that is already being reported
  }
}
