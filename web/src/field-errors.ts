import { byId, el } from "./dom.js";

/**
 * Messages next to the form field they are about: the server's 400 answers name a `field`
 * ("x", "formula", "start"…) and every field has a `#err-<field>` element below it; a
 * message for a field the page has no place for goes to the general error line.
 */
const ALIASES: Record<string, string[]> = {
  data: ["file"],
  upload: ["file"],
  // Training names its feature columns `x`.
  x: ["x", "features"],
  transform: ["clip"],
  lr: ["optimizer"],
  threshold: ["clip"],
  weights: ["y"],
  logX: ["x"],
};

function slot(field: string | null, message: string): HTMLElement {
  const name = field ?? fieldOf(message);
  const candidates = name === null ? [] : (ALIASES[name] ?? [name]);
  for (const candidate of candidates) {
    const node = document.getElementById(`err-${candidate}`);
    // A field of another mode (hidden now) cannot show it.
    if (node instanceof HTMLElement && !node.parentElement?.closest("[hidden]")) return node;
  }
  return byId("err-general", HTMLElement);
}

/**
 * The field a message without one is about, from the JSON path it starts with, as every
 * request message does (`start: no start value for Vmax`, `request: transform.clip…`).
 */
function fieldOf(message: string): string | null {
  const m = message.match(/^(?:request: )?([A-Za-z]+)[.:[]/);
  return m ? m[1]! : null;
}

export function showError(field: string | null, message: string): HTMLElement {
  const node = slot(field, message);
  node.replaceChildren(message);
  node.hidden = false;
  const input = inputFor(node);
  input?.setAttribute("aria-invalid", "true");
  node.scrollIntoView({ block: "nearest" });
  return node;
}

/**
 * A formula error with a caret under the character it is about (0-based `position`), as
 * the CLI prints it: the message, the formula, and `^` under the position.
 */
export function showFormulaError(formula: string, message: string, position: number | null) {
  const node = showError("formula", message);
  if (position === null || position < 0) return;
  const at = Math.min(position, formula.length);
  node.append(
    el("pre", { class: "caret", "aria-hidden": "true" }, `${formula}\n${" ".repeat(at)}^`),
    el("span", { class: "position" }, `at character ${at + 1}`),
  );
  node.dataset.position = String(position);
}

export function clearError(field: string): void {
  const node = document.getElementById(`err-${field}`);
  if (!node) return;
  node.hidden = true;
  node.replaceChildren();
  delete node.dataset.position;
  inputFor(node)?.removeAttribute("aria-invalid");
}

export function clearErrors(except: string[] = []): void {
  for (const node of document.querySelectorAll<HTMLElement>("[id^='err-']")) {
    const field = node.id.slice(4);
    if (!except.includes(field)) clearError(field);
  }
}

/** The input an error line belongs to (same id without the `err-` prefix). */
function inputFor(node: HTMLElement): HTMLElement | null {
  return document.getElementById(node.id.slice(4));
}
