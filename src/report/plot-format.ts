import { extname } from "node:path";
import { InputError } from "../core/errors.js";
import { renderPng, renderSvg } from "./render.js";
import type { ChartSpec } from "./theme.js";

export type PlotFormat = "svg" | "png";

/** The picture's format by its file name; `option` names the flag in the message. */
export function plotFormat(option: string, path: string): PlotFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".svg") return "svg";
  if (ext === ".png") return "png";
  throw new InputError(`${option} ${path}: expected a file name ending in .svg or .png`);
}

/** Default PNG width in pixels. */
export const PNG_WIDTH = 1200;

/** The chart drawn in `format`: SVG text or PNG bytes. */
export async function drawChart(
  spec: ChartSpec,
  format: PlotFormat,
  options: { width?: number } = {},
): Promise<string | Uint8Array> {
  const svg = await renderSvg(spec);
  return format === "svg" ? svg : renderPng(svg, { width: options.width ?? PNG_WIDTH });
}
