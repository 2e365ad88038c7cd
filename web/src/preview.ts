import { el } from "./dom.js";
import type { Upload } from "./types.js";

/**
 * The uploaded table at a glance: its size, each column's detected type and missing cells,
 * the first rows, and every problem the reader found (named file:line:column as the CLI
 * names them).
 */
export function renderPreview(container: HTMLElement, upload: Upload): void {
  const head = el(
    "tr",
    {},
    ...upload.columns.map((c) =>
      el(
        "th",
        { scope: "col", "data-type": c.type },
        c.name,
        el("br"),
        el("span", { class: `type type-${c.type}` }, c.type),
        c.missing > 0 ? el("span", { class: "missing" }, ` · ${c.missing} missing`) : null,
      ),
    ),
  );
  const body = upload.preview.map((row) => el("tr", {}, ...row.map((cell) => el("td", {}, cell))));
  const shown = upload.preview.length;
  const problems =
    upload.problems.length === 0
      ? el("p", { class: "ok" }, "No problems found.")
      : el(
          "div",
          { class: "problems" },
          el("h3", {}, `Problems (${upload.problems.length})`),
          el("ul", {}, ...upload.problems.map((p) => el("li", {}, p.message))),
        );
  container.replaceChildren(
    el(
      "p",
      { id: "upload-summary" },
      `${upload.name}: ${upload.rows} rows, ${upload.columns.length} columns` +
        (shown < upload.rows ? ` (first ${shown} shown)` : ""),
    ),
    el(
      "div",
      { class: "scroll" },
      el(
        "table",
        { id: "preview-table", class: "preview" },
        el("caption", {}, "Preview"),
        el("thead", {}, head),
        el("tbody", {}, ...body),
      ),
    ),
    problems,
  );
}
