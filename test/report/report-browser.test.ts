import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

/**
 * The report in a real browser: Debian's `chromium` (apt-get install chromium) opens it from
 * disk, headless, with name resolution off. Its console (stderr with --enable-logging) must be
 * free of the page's messages, its network log free of requests the page made, and the DOM
 * after load must hold every chart's SVG. A control page with a console error and an image
 * URL proves that both detectors see what they look for. Skipped where chromium is missing.
 */
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
const dir = mkdtempSync(join(tmpdir(), "biograd-browser-"));

function openInChromium(page: string) {
  const netlog = join(dir, "netlog.json");
  rmSync(netlog, { force: true });
  const run = spawnSync(
    CHROMIUM!,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      `--user-data-dir=${join(dir, "profile")}`,
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--enable-logging=stderr",
      "--v=0",
      `--log-net-log=${netlog}`,
      "--host-resolver-rules=MAP * ~NOTFOUND",
      "--dump-dom",
      `file://${page}`,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  const messages = run.stderr.split("\n").filter((l) => l.includes(":CONSOLE"));
  // The page's own requests: initiated from its file:// origin (Chromium's own background
  // requests to its services have no origin).
  const events = JSON.parse(readFileSync(netlog, "utf8")).events as {
    params?: Record<string, unknown>;
  }[];
  const requests = events
    .map((e) => e.params ?? {})
    .filter((p) => "initiator" in p && String(p.network_isolation_key ?? "").startsWith("file://"))
    .map((p) => String(p.url));
  return { dom: run.stdout, console: messages, requests };
}

describe.skipIf(CHROMIUM === undefined)("the report in headless Chromium", () => {
  it("the detectors see a console error and a request (control page)", () => {
    const control = join(dir, "control.html");
    writeFileSync(
      control,
      '<!DOCTYPE html><html><body><img src="http://example.invalid/x.png"><script>console.error("boom")</script></body></html>',
    );
    const seen = openInChromium(control);
    expect(seen.console.join("\n")).toContain("boom");
    expect(seen.requests).toEqual(["http://example.invalid/x.png"]);
  }, 60_000);

  it("opens with no console message and no request, and shows every chart", async () => {
    const fit = join(dir, "fit.json");
    const page = join(dir, "fit.html");
    await cli(
      "fit",
      "examples/dnase-run1.csv",
      "--model",
      "hill",
      "--x",
      "conc",
      "--y",
      "density",
      "--out",
      fit,
    );
    expect((await cli("report", fit, "--out", page)).code).toBe(0);
    const seen = openInChromium(page);
    expect(seen.console).toEqual([]);
    expect(seen.requests).toEqual([]);
    const charts = seen.dom.match(/<figure class="chart"><svg\b/g) ?? [];
    expect(charts.length).toBe(1);
    // The data points, as the browser parsed the inline SVG.
    const points = seen.dom.split('role-mark points_marks"')[1]!.split("</g>")[0]!;
    expect(points.match(/<path\b/g)).toHaveLength(16);
  }, 60_000);
});
