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
    const bytes = Buffer.from(pending.join(""), "utf8");
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
