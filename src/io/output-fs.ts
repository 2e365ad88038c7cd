import * as nodeFs from "node:fs";

/**
 * The file-system calls that output planning and writing make. Tests replace single calls
 * (a `writeSync` that fails with ENOSPC, an `accessSync` that says "not writable") to reach
 * failures that cannot be produced for real when the tests run as root.
 */
export interface OutputFs {
  lstatSync: typeof nodeFs.lstatSync;
  statSync: typeof nodeFs.statSync;
  readlinkSync: typeof nodeFs.readlinkSync;
  realpathSync: typeof nodeFs.realpathSync;
  accessSync: typeof nodeFs.accessSync;
  openSync: typeof nodeFs.openSync;
  writeSync: typeof nodeFs.writeSync;
  fsyncSync: typeof nodeFs.fsyncSync;
  fchmodSync: typeof nodeFs.fchmodSync;
  fchownSync: typeof nodeFs.fchownSync;
  closeSync: typeof nodeFs.closeSync;
  renameSync: typeof nodeFs.renameSync;
  unlinkSync: typeof nodeFs.unlinkSync;
}

export const realFs: OutputFs = {
  lstatSync: nodeFs.lstatSync,
  statSync: nodeFs.statSync,
  readlinkSync: nodeFs.readlinkSync,
  realpathSync: nodeFs.realpathSync,
  accessSync: nodeFs.accessSync,
  openSync: nodeFs.openSync,
  writeSync: nodeFs.writeSync,
  fsyncSync: nodeFs.fsyncSync,
  fchmodSync: nodeFs.fchmodSync,
  fchownSync: nodeFs.fchownSync,
  closeSync: nodeFs.closeSync,
  renameSync: nodeFs.renameSync,
  unlinkSync: nodeFs.unlinkSync,
};

/** The real file system with some calls replaced. */
export function withFs(overrides: Partial<OutputFs> | undefined): OutputFs {
  return overrides ? { ...realFs, ...overrides } : realFs;
}
