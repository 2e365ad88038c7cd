/**
 * Eight hex digits for a temporary file's name beside its target (`.out.csv.3fa91c07.tmp`).
 * The file is created with O_EXCL, so the name need only make a clash with another writer
 * unlikely, not be unguessable: Math.random (seeded afresh in every process and thread)
 * instead of node:crypto, whose loading cost milliseconds of every grouped fit's start-up
 * (bench/startup/RESULTS.md).
 */
export function tempTag(): string {
  return Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, "0");
}
