/** Number formatting for terminal output (never for files: those keep full precision). */
export function sci(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? x.toPrecision(digits + 1) : x.toExponential(digits);
}

export function percent(f: number): string {
  return `${(100 * f).toFixed(f > 0 && f < 0.01 ? 2 : 0)}%`;
}

/** Left-aligned columns padded to the widest cell. */
export function table(rows: readonly (readonly string[])[], gap = "  "): string[] {
  const widths: number[] = [];
  for (const r of rows) {
    for (let i = 0; i < r.length; i++) widths[i] = Math.max(widths[i] ?? 0, r[i]!.length);
  }
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join(gap)
      .trimEnd(),
  );
}
