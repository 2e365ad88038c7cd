import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { type OutputFs, realFs } from "./output-fs.js";
import { resolveOutput } from "./output-target.js";
import { ignore, keepOwner, syncDirectory } from "./replace-file.js";
import { describeIoError, OutputWriteError } from "./write-error.js";

/**
 * `replaceFile` for output written while the work runs (a grouped fit's rows as its chunks
 * finish): the same temp file beside the target (O_EXCL, the old file's mode and owner), the
 * text appended as it comes (buffered to about 1 MB a write), then on `commit` fsync → rename
 * over the target → fsync the directory. Until `commit` the target is untouched: `abort` (or
 * any failure, which also aborts) removes the temp file, so there is never a partial file at
 * the final path. Failures are `OutputWriteError`s naming `shownAs` (exit 1).
 */
export interface FileReplacement {
  write(text: string): void;
  commit(): void;
  abort(): void;
}

const FLUSH_CHARS = 1 << 20;

export function beginReplaceFile(
  path: string,
  options: { fs?: OutputFs; shownAs?: string } = {},
): FileReplacement {
  const fs = options.fs ?? realFs;
  const shown = options.shownAs ?? path;
  const failure = (error: unknown) =>
    error instanceof OutputWriteError ? error : new OutputWriteError(shown, describeIoError(error));
  let resolved: ReturnType<typeof resolveOutput>;
  try {
    resolved = resolveOutput(path, fs);
  } catch (error) {
    throw failure(error);
  }
  if ("problem" in resolved) throw new OutputWriteError(shown, resolved.problem);
  const { target, existing } = resolved;
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.tmp`);
  let fd: number | null = null;
  let pending: string[] = [];
  let pendingChars = 0;
  let done = false;

  const abort = () => {
    if (done) return;
    done = true;
    if (fd !== null) ignore(() => fs.closeSync(fd!));
    fd = null;
    ignore(() => fs.unlinkSync(tmp));
  };
  const guarded = (action: () => void) => {
    try {
      action();
    } catch (error) {
      abort();
      throw failure(error);
    }
  };
  const flush = () => {
    const bytes = encodePending(pending, pendingChars);
    pending = [];
    pendingChars = 0;
    for (let off = 0; off < bytes.length; ) {
      off += fs.writeSync(fd!, bytes, off, bytes.length - off);
    }
  };

  guarded(() => {
    fd = fs.openSync(tmp, "wx", existing ? existing.mode & 0o7777 : 0o666);
    if (existing) {
      fs.fchmodSync(fd, existing.mode & 0o7777); // the umask must not narrow the old mode
      keepOwner(fs, fd, existing.uid, existing.gid);
    }
  });
  return {
    write(text) {
      if (done) throw new Error(`beginReplaceFile: ${shown} is already committed or aborted`);
      pending.push(text);
      pendingChars += text.length;
      if (pendingChars >= FLUSH_CHARS) guarded(flush);
    },
    commit() {
      if (done) throw new Error(`beginReplaceFile: ${shown} is already committed or aborted`);
      guarded(() => {
        flush();
        fs.fsyncSync(fd!);
        const closing = fd!;
        fd = null;
        fs.closeSync(closing);
        fs.renameSync(tmp, target);
      });
      done = true;
      try {
        syncDirectory(fs, dirname(target));
      } catch (error) {
        throw failure(error);
      }
    },
    abort,
  };
}

// The bytes of pending texts, encoded into one reused buffer: no joined string (a megabyte
// each flush, in the old generation, which brought on full collections). A text ending in
// half a surrogate pair goes through the join, which encodes a pair split between texts whole.
let encoded = Buffer.alloc(0);
function encodePending(pending: string[], chars: number): Buffer {
  for (const t of pending) {
    const last = t.charCodeAt(t.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) return Buffer.from(pending.join(""), "utf8");
  }
  if (encoded.length < 3 * chars) encoded = Buffer.allocUnsafe(3 * chars);
  let at = 0;
  for (const t of pending) at += encoded.write(t, at, "utf8");
  return encoded.subarray(0, at);
}
