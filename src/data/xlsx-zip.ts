import { InputError } from "../core/errors.js";

/**
 * A look at a workbook's zip directory before it is unpacked: that the file is a zip
 * archive at all (a workbook is one), and that its parts unpack to at most a given size —
 * a small file can unpack to gigabytes, and the size is all that bounds memory.
 */

const LOCAL_HEADER = 0x04034b50;
const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
/** The signature of an OLE compound file: an `.xls` workbook, or an encrypted `.xlsx`. */
const COMPOUND_FILE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** Refuses `bytes` unless it is a zip archive whose entries unpack to at most `limit` bytes. */
export function checkZipSize(bytes: Buffer, path: string, limit: number): void {
  const refuse = (why: string) => new InputError(`${path}: not an Excel workbook (${why})`);
  if (bytes.subarray(0, 8).equals(COMPOUND_FILE)) {
    throw refuse(
      "an old .xls workbook or a password-protected one; save it as .xlsx without a password",
    );
  }
  if (bytes.length < 22 || bytes.readUInt32LE(0) !== LOCAL_HEADER) {
    throw refuse(bytes.length === 0 ? "the file is empty" : "not a zip archive");
  }
  const end = findEndOfDirectory(bytes);
  if (end < 0) throw refuse("damaged zip archive: no directory at its end");
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  let total = 0;
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== DIRECTORY_ENTRY) {
      throw refuse("damaged zip archive directory");
    }
    // 0xffffffff marks a zip64 size: over 4 GiB, far past any limit.
    total += bytes.readUInt32LE(at + 24);
    at +=
      46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  if (total > limit) {
    throw new InputError(
      `${path}: workbook unpacks to ${mib(total)}, over the ${mib(limit)} limit for Excel files; save the sheet as CSV`,
    );
  }
}

/** Offset of the end-of-directory record (it ends the file, after a comment of < 64 KiB). */
function findEndOfDirectory(bytes: Buffer): number {
  const last = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= last; at--) {
    if (bytes.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  return -1;
}

/** A byte count for a message: "200 MiB", "1.5 MiB". */
export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1).replace(/\.0$/, "")} MiB`;
}
