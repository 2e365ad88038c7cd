import { execFileSync } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh temporary directory for one test. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), "biograd-io-"));
}

/**
 * Every entry under `dir` with what identifies it: file bytes (base64) and mode, a
 * symlink's target (so a link that became a file shows), or the kind of a special file.
 */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(dir, rel, name);
      const key = join(rel, name);
      const st = lstatSync(path);
      if (st.isSymbolicLink()) out[key] = `link -> ${readlinkSync(path)}`;
      else if (st.isFile())
        out[key] =
          `file ${(st.mode & 0o7777).toString(8)} ${readFileSync(path).toString("base64")}`;
      else if (st.isDirectory()) {
        out[key] = "dir";
        walk(key);
      } else out[key] = st.isFIFO() ? "fifo" : "special";
    }
  };
  walk("");
  return out;
}

export function mkfifo(path: string): void {
  execFileSync("mkfifo", [path]);
}
