import { basename, dirname, join } from "node:path";
import { type OutputFs, realFs } from "./output-fs.js";
import { resolveOutput } from "./output-target.js";
import { ignore, keepOwner, syncDirectory } from "./replace-file.js";
import { tempTag } from "./temp-tag.js";
import { describeIoError, OutputWriteError } from "./write-error.js";

/**
 * `replaceFile` for output written while the work runs (a grouped fit's rows as its chunks
 * finish): the same temp file beside the target (O_EXCL, the old file's mode and owner), the
 * text appended as it comes, as strings or UTF-8 bytes (buffered to about 1 MB a write), then on `commit` fsync → rename
 * over the target → fsync the directory. Until `commit` the target is untouched: `abort` (or
 * any failure, which also aborts) removes the temp file, so there is never a partial file at
 * the final path. Failures are `OutputWriteError`s naming `shownAs` (exit 1).
 */
export interface FileReplacement {
  /** Appends text: a string (written as UTF-8) or bytes as they are (kept until the next flush). */
  write(text: string | Uint8Array): void;
  commit(): void;
  abort(): void;
}

/** Pending size (UTF-16 units of strings plus bytes of arrays) that triggers a write. */
const FLUSH_SIZE = 1 << 20;

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
  const tmp = join(dirname(target), `.${basename(target)}.${tempTag()}.tmp`);
  let fd: number | null = null;
  let pending: (string | Uint8Array)[] = [];
  let pendingSize = 0;
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
    const bytes = encodePending(pending, pendingSize);
    pending = [];
    pendingSize = 0;
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
      pendingSize += text.length;
      if (pendingSize >= FLUSH_SIZE) guarded(flush);
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

// The bytes of pending texts, encoded or copied into one reused buffer: no joined string (a
// megabyte each flush, in the old generation, which brought on full collections). Strings
// next to each other where one ends in half a surrogate pair go through their join, which
// encodes a pair split between texts whole (bytes between two strings end such a pair, as
// they would in the file: U+FFFD for the lone half).
let encoded = Buffer.alloc(0);
function encodePending(pending: (string | Uint8Array)[], size: number): Buffer {
  if (encoded.length < 3 * size) encoded = Buffer.allocUnsafe(3 * size);
  let at = 0;
  let strings: string[] = [];
  let split = false;
  const writeStrings = () => {
    if (split) at += encoded.write(strings.join(""), at, "utf8");
    else for (const t of strings) at += encoded.write(t, at, "utf8");
    strings = [];
    split = false;
  };
  for (const t of pending) {
    if (typeof t === "string") {
      strings.push(t);
      const last = t.charCodeAt(t.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) split = true;
    } else {
      if (strings.length > 0) writeStrings();
      encoded.set(t, at);
      at += t.length;
    }
  }
  if (strings.length > 0) writeStrings();
  return encoded.subarray(0, at);
}
