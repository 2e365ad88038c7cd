import { el } from "./dom.js";

/**
 * The quality flags and warnings of a result, worded as the CLI words them: a fit that
 * converged can still be doubtful (a parameter at a bound, a correlation near 1, no
 * standard errors), and the page says so above the numbers.
 */
type Message = { code?: string; message: string };

export function flagsOf(result: unknown): HTMLElement {
  const r = (result ?? {}) as Record<string, unknown>;
  const inner = (r.result ?? r) as { flags?: unknown; warnings?: unknown };
  const flags = messages(inner.flags);
  const warnings = messages(inner.warnings);
  const counts = r.counts as { flagged?: number; failed?: number } | undefined;
  const items = [
    ...flags.map((f) => el("li", { class: "flag" }, `${f.code ?? "flag"}: ${f.message}`)),
    ...warnings.map((w) => el("li", { class: "warning" }, `Warning: ${w.message}`)),
  ];
  if (counts && (counts.flagged ?? 0) + (counts.failed ?? 0) > 0) {
    items.push(
      el(
        "li",
        { class: "flag" },
        `${counts.flagged ?? 0} groups flagged, ${counts.failed ?? 0} failed`,
      ),
    );
  }
  if (items.length === 0) return el("p", { id: "quality", class: "ok" }, "Quality flags: none");
  return el("div", { id: "quality" }, el("h3", {}, "Quality flags"), el("ul", {}, ...items));
}

function messages(value: unknown): Message[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) =>
    typeof v === "string"
      ? { message: v }
      : { code: (v as Message).code, message: (v as Message).message },
  );
}
