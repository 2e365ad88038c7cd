import { fileURLToPath } from "node:url";
import type { ChartSpec } from "./theme.js";
import { FONT_FAMILY } from "./theme.js";

/**
 * Charts drawn in Node, without a browser: Vega-Lite → Vega → SVG (Vega's headless view), and
 * SVG → PNG through resvg with only the bundled font (no system font lookup), so a PNG is the
 * same bytes on every machine. Vega and resvg are loaded on first use: commands that draw
 * nothing do not pay for them.
 */

/** The bundled font; the same relative path from src/report and dist/report. */
export const FONT_FILE = fileURLToPath(new URL("../../assets/fonts/Vera.ttf", import.meta.url));

/**
 * The chart as a standalone SVG document. Element ids (gradients, clip paths) are numbered
 * from 0 in each document, with `idPrefix` before them: Vega counts them across a process,
 * which would make the same chart differ from one call to the next, and two charts inline in
 * one HTML page need different ids.
 */
export async function renderSvg(
  spec: ChartSpec,
  options: { idPrefix?: string } = {},
): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = vegaLite.compile(spec as never).spec;
  // No loader: every data set is inline, and nothing may be fetched.
  const view = new vega.View(vega.parse(compiled), {
    renderer: "none",
    loader: { load: refuse, sanitize: refuse, http: refuse, file: refuse } as never,
    logLevel: vega.Error,
  });
  try {
    return stableIds(await view.toSVG(), options.idPrefix ?? "d");
  } finally {
    view.finalize();
  }
}

function stableIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!ids.has(m[1]!)) ids.set(m[1]!, `${prefix}${ids.size}`);
  }
  if (ids.size === 0) return svg;
  return svg.replace(/(\sid="|url\(#)([^")]+)/g, (all, head: string, id: string) => {
    const to = ids.get(id);
    return to === undefined ? all : `${head}${to}`;
  });
}

async function refuse(): Promise<never> {
  throw new Error("charts load no external data");
}

export interface PngOptions {
  /** Width of the image in pixels (the height keeps the chart's proportions). */
  width: number;
}

/** An SVG drawn as PNG bytes `width` pixels wide. */
export async function renderPng(svg: string, options: PngOptions): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    fitTo: { mode: "width", value: options.width },
    background: "white",
    font: {
      loadSystemFonts: false,
      fontFiles: [FONT_FILE],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return new Uint8Array(resvg.render().asPng());
}

/** The pixel width and height in a PNG's IHDR chunk (bytes 16–23). */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
