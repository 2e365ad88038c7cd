/**
 * A set of byte strings (group keys as the range scan sees them): open addressing over
 * typed arrays, the keys' bytes copied into one growing buffer. A Set of strings cost a
 * string per key plus hashing and probing it (the scan's largest cost per group on 100,000
 * groups); here a key is hashed and compared as bytes where it lies.
 */
export class ByteKeySet {
  private bytes: Uint8Array = NO_BYTES;
  private used = 0;
  // Key k is bytes[starts[k], starts[k + 1]); its hash is hashes[k].
  private starts: Int32Array = NO_INTS;
  private hashes: Int32Array = NO_INTS;
  private count = 0;
  // While the keys come in increasing order, the slots are not used.
  private ordered = true;
  // Slots hold a key's index + 1 (0: empty); at most half of them are used.
  private slots: Int32Array = NO_INTS;

  constructor() {
    // The arrays that grow are stored a second time here, so V8 holds these fields as
    // mutable from the first set on: a field it took for a constant, first replaced when the
    // set grew (past 4 KiB of keys, past 1,024 keys), threw away the code compiled with it
    // (afterLast, compiled three times a run) to be compiled again.
    this.bytes = new Uint8Array(1 << 12);
    this.starts = new Int32Array(1 << 10);
    this.hashes = new Int32Array(1 << 10);
    this.slots = new Int32Array(1 << 11);
  }

  get size(): number {
    return this.count;
  }

  /** Adds b[from, to); false when it was there already. */
  add(b: Uint8Array, from: number, to: number): boolean {
    if (this.ordered) {
      // Each key greater than the one before (a sorted file): a greater key is a new one, and
      // it is only kept; the table is made when a key breaks the order.
      if (this.count === 0 || this.afterLast(b, from, to)) {
        this.append(b, from, to - from);
        return true;
      }
      this.ordered = false;
      for (let k = 0; k < this.count; k++) {
        this.hashes[k] = hash(this.bytes, this.starts[k]!, this.starts[k + 1]!);
      }
      this.rehash();
    }
    const h = hash(b, from, to);
    const mask = this.slots.length - 1;
    const n = to - from;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const k = this.slots[s]! - 1;
      if (k < 0) {
        this.insert(s, h, b, from, n);
        return true;
      }
      if (this.hashes[k] !== h) continue;
      const start = this.starts[k]!;
      if (this.starts[k + 1]! - start !== n) continue;
      let i = 0;
      while (i < n && this.bytes[start + i] === b[from + i]) i++;
      if (i === n) return false;
    }
  }

  /** Whether b[from, to) comes after the last key added, byte by byte. */
  private afterLast(b: Uint8Array, from: number, to: number): boolean {
    const start = this.starts[this.count - 1]!;
    const n = this.used - start;
    const m = to - from;
    for (let i = 0; i < n && i < m; i++) {
      const d = b[from + i]! - this.bytes[start + i]!;
      if (d !== 0) return d > 0;
    }
    return m > n;
  }

  private insert(slot: number, h: number, b: Uint8Array, from: number, n: number): void {
    const k = this.append(b, from, n);
    this.hashes[k] = h;
    this.slots[slot] = k + 1;
    if (2 * this.count > this.slots.length) this.rehash();
  }

  /** Keeps the key's bytes: its index. */
  private append(b: Uint8Array, from: number, n: number): number {
    const k = this.count;
    if (this.used + n > this.bytes.length) {
      this.bytes = grown(this.bytes, this.used + n);
    }
    // A byte loop: a subarray to copy from was an object per key.
    const bytes = this.bytes;
    for (let i = 0; i < n; i++) bytes[this.used + i] = b[from + i]!;
    if (k + 2 > this.starts.length) {
      this.starts = grown(this.starts, k + 2);
      this.hashes = grown(this.hashes, k + 2);
    }
    this.starts[k] = this.used;
    this.used += n;
    this.starts[k + 1] = this.used;
    this.count = k + 1;
    return k;
  }

  /** The table made again, at most half full. */
  private rehash(): void {
    let size = this.slots.length;
    while (size < 2 * this.count + 2) size *= 2;
    const slots = new Int32Array(size);
    const mask = slots.length - 1;
    for (let k = 0; k < this.count; k++) {
      let s = this.hashes[k]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = k + 1;
    }
    this.slots = slots;
  }
}

const NO_BYTES = new Uint8Array(0);
const NO_INTS = new Int32Array(0);

/** FNV-1a of b[from, to). */
function hash(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h;
}

/** A copy of `from` in an array of at least `size` elements (twice as many as before). */
function grown<T extends Uint8Array | Int32Array>(from: T, size: number): T {
  const into = new (from.constructor as new (n: number) => T)(Math.max(size, 2 * from.length));
  into.set(from);
  return into;
}
