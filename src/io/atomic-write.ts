import { replaceFile } from "./replace-file.js";

/**
 * Writes `text` to `path` so that readers see either the old file or the whole new one,
 * never a part (temp file, fsync, rename, fsync of the directory). Symlinks are written
 * through; FIFOs, devices and directories are refused. Throws `OutputWriteError` (exit 1).
 *
 * Kept for existing callers; new code plans its outputs first with `planOutputs`, which
 * also refuses inputs and missing directories before any work is done.
 */
export function writeFileAtomic(path: string, text: string): void {
  replaceFile(path, text);
}
