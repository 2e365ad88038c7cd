import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, extname, join } from "node:path";
import { HttpError } from "./http-error.js";
import type { UploadSummary } from "./upload-summary.js";

/** The file types an upload may be; its stored name keeps only this extension. */
const EXTENSIONS = new Set([".csv", ".tsv", ".tab", ".txt", ".xlsx"]);

export interface StoredUpload {
  id: string;
  /** The name the browser gave, for display and messages only (never a path). */
  name: string;
  /** Where it is stored: the private directory and a generated name. */
  path: string;
  summary: UploadSummary;
}

/**
 * Uploads of one server session, kept in a private directory (mode 0700, from mkdtemp) under
 * generated names (`u_<random>.csv`): nothing the client sends becomes part of a path. The
 * directory and everything in it is removed by `remove()` when the server stops.
 */
export class UploadStore {
  readonly dir: string;
  private readonly uploads = new Map<string, StoredUpload>();

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "biograd-serve-"));
    chmodSync(this.dir, 0o700);
  }

  /** The display name of a client's file name: its last component, printable, at most 200 characters. */
  static displayName(given: string | undefined): string {
    const last = basename((given ?? "").replace(/\\/g, "/"));
    const clean = [...last]
      .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f)
      .join("")
      .slice(0, 200);
    return clean === "" || clean === "." || clean === ".." ? "upload.csv" : clean;
  }

  /** Writes the bytes under a new name; returns the id and path (the caller adds the summary). */
  write(name: string, bytes: Buffer): { id: string; path: string } {
    const ext = extname(name).toLowerCase() || ".csv";
    if (!EXTENSIONS.has(ext)) {
      throw new HttpError(
        400,
        `${name}: ${ext} files are not read; upload CSV, TSV or an Excel workbook (.xlsx)`,
        "file",
      );
    }
    const id = `u_${randomBytes(12).toString("hex")}`;
    const path = join(this.dir, `${id}${ext}`);
    writeFileSync(path, bytes, { flag: "wx", mode: 0o600 });
    return { id, path };
  }

  add(upload: StoredUpload): void {
    this.uploads.set(upload.id, upload);
  }

  /** Drops a stored file whose summary failed (it is never offered). */
  discard(path: string): void {
    rmSync(path, { force: true });
  }

  get(id: string): StoredUpload | undefined {
    return this.uploads.get(id);
  }

  /** Every stored upload, to turn private paths back into display names in messages. */
  all(): IterableIterator<StoredUpload> {
    return this.uploads.values();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
