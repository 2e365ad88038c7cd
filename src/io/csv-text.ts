/**
 * A table as CSV text for the commands' outputs (predictions, residuals, comparisons):
 * RFC 4180 quoting where needed (labels may hold commas or quotes), numbers in the shortest
 * text that reads back as the same double, a missing value as an empty field.
 */
export function csvText(
  columns: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  const lines = [columns, ...rows].map((row) => row.map(csvField).join(","));
  return `${lines.join("\n")}\n`;
}

export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
