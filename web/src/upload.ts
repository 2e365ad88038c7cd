import { type Api, ApiError } from "./api.js";
import { byId, show } from "./dom.js";
import { clearError, showError } from "./field-errors.js";
import { renderPreview } from "./preview.js";
import type { Upload } from "./types.js";

/**
 * Choosing the data: a file dropped on the drop zone or chosen with the file input is sent
 * as it is (POST /api/uploads) and its preview shown; an XLSX workbook with several sheets
 * offers them, and choosing another sheet uploads the file again with `?sheet=`.
 */
export function setUpUpload(api: Api, onUpload: (upload: Upload) => void): void {
  const input = byId("file", HTMLInputElement);
  const drop = byId("drop", HTMLElement);
  const sheet = byId("sheet", HTMLSelectElement);
  const preview = byId("preview", HTMLElement);
  let current: File | null = null;

  async function send(file: File, sheetName?: string) {
    current = file;
    clearError("file");
    preview.setAttribute("aria-busy", "true");
    try {
      const upload = await api.upload<Upload>(file, sheetName);
      renderPreview(preview, upload);
      offerSheets(upload.sheets, sheetName);
      onUpload(upload);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      showError(error instanceof ApiError ? (error.field ?? "file") : "file", message);
    } finally {
      preview.removeAttribute("aria-busy");
    }
  }

  function offerSheets(sheets: string[] | null, chosen?: string) {
    show(byId("sheet-row", HTMLElement), sheets !== null && sheets.length > 1);
    if (sheets === null) return;
    sheet.replaceChildren(...sheets.map((name) => new Option(name, name)));
    sheet.value = chosen ?? sheets[0] ?? "";
  }

  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file) void send(file);
  });
  sheet.addEventListener("change", () => {
    if (current) void send(current, sheet.value);
  });
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const file = event.dataTransfer?.files[0];
    if (file) void send(file);
  });
}
