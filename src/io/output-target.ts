import { constants, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { OutputFs } from "./output-fs.js";

/** Where an output's bytes go, after following symlinks. */
export interface OutputTarget {
  /** Absolute path of the file that is replaced or created (a symlink's final target). */
  target: string;
  /** The existing file there, or null for a new path. */
  existing: Stats | null;
}

/** Why a path cannot be written, e.g. `is a FIFO; expected a regular file or a new path`. */
export interface OutputProblem {
  problem: string;
}

const MAX_LINKS = 40; // as Linux's ELOOP limit

/**
 * Follows `path` through symlinks (a dangling link points at a new file) and checks that
 * what is there can be replaced by a temp-file rename: a regular file or nothing, in an
 * existing, writable directory. `path` is named in problems as the user wrote it.
 */
export function resolveOutput(path: string, fs: OutputFs): OutputTarget | OutputProblem {
  let current = resolve(path);
  let shownDir = dirname(path); // as the user wrote it, until a link leads elsewhere
  let existing: Stats | null = null;
  for (let hops = 0; ; hops++) {
    if (hops > MAX_LINKS) return { problem: "too many levels of symbolic links" };
    let st: Stats;
    try {
      st = fs.lstatSync(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") break; // new path; the directory is checked below
      throw error;
    }
    if (!st.isSymbolicLink()) {
      existing = st;
      break;
    }
    const link = fs.readlinkSync(current, "utf8");
    current = resolve(dirname(current), link);
    shownDir = dirname(link.startsWith("/") ? link : join(shownDir, link));
  }
  if (existing !== null && !existing.isFile()) {
    return { problem: `is ${kindOf(existing)}; expected a regular file or a new path` };
  }
  const dir = dirname(current);
  const dirProblem = checkDirectory(dir, shownDir, fs);
  if (dirProblem) return { problem: dirProblem };
  return { target: join(fs.realpathSync(dir), basename(current)), existing };
}

function checkDirectory(dir: string, shown: string, fs: OutputFs): string | null {
  let st: Stats;
  try {
    st = fs.statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return `directory "${shown}" does not exist`;
    if (code === "ENOTDIR") return `"${shown}" is not a directory`;
    throw error;
  }
  if (!st.isDirectory()) return `"${shown}" is not a directory`;
  try {
    fs.accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    return `directory "${shown}" is not writable`;
  }
  return null;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  return "not a regular file";
}
