import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

/**
 * The page of `biograd serve` in a real browser: Debian's chromium driven by playwright-core
 * (no browser download), against the real server started as `node dist/cli/main.js serve
 * --port 0` (built by `npm test`'s pretest). Every page must end with no console error, no
 * uncaught exception and no request to another origin; the numbers and files it shows are
 * compared with the CLI's.
 */
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
const TITLE =
  CHROMIUM === undefined
    ? "biograd serve in chromium (SKIPPED: no /usr/bin/chromium; apt-get install chromium)"
    : "biograd serve in chromium";

const dir = mkdtempSync(join(tmpdir(), "biograd-e2e-"));
let server: ChildProcess;
let url: string;
let origin: string;
let browser: Browser;

/** Starts the server and resolves with the URL it prints (`biograd serve: http://…`). */
function startServer(): Promise<string> {
  if (!existsSync("dist/cli/main.js") || !existsSync("dist/web/index.html")) {
    throw new Error("dist/ is not built: run `npm run build` (npm test does it first)");
  }
  server = spawn(process.execPath, ["dist/cli/main.js", "serve", "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    server.stderr!.on("data", (d) => {
      err += d;
    });
    server.stdout!.on("data", (d) => {
      out += d;
      const m = out.match(/biograd serve: (http:\/\/\S+)/);
      if (m) resolve(m[1]!);
    });
    server.on("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

interface Watch {
  problems: string[];
  /** HTTP statuses the test provokes on purpose (Chromium logs each as a console error). */
  allowStatus: number[];
}

/** A fresh page whose console errors, exceptions and foreign requests are collected. */
async function openPage(at: string | null = url): Promise<{ page: Page; watch: Watch }> {
  const page = await browser.newPage({ acceptDownloads: true });
  const watch: Watch = { problems: [], allowStatus: [] };
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") watch.problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => watch.problems.push(`exception: ${e.message}`));
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith("data:") && new URL(u).origin !== origin)
      watch.problems.push(`request: ${u}`);
  });
  if (at !== null) await page.goto(at);
  opened.push({ page, watch });
  return { page, watch };
}
const opened: { page: Page; watch: Watch }[] = [];

async function upload(page: Page, file: string, rows: number) {
  await page.setInputFiles("#file", file);
  await expect
    .poll(() => page.textContent("#upload-summary"))
    .toContain(`${file.split("/").pop()}: ${rows} rows`);
}

/** Runs the form and waits for the results; every download link offered must answer 200. */
async function runAndWait(page: Page) {
  await page.click("#run");
  await page.waitForSelector("#charts[data-ready]", { timeout: 30_000 });
  await linksWork(page);
}

async function linksWork(page: Page) {
  const links = await page.$$eval("#downloads a", (as) =>
    as.map((a) => (a as HTMLAnchorElement).href),
  );
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) {
    const response = await page.request.get(link);
    expect(response.status(), link).toBe(200);
  }
}

describe.skipIf(CHROMIUM === undefined)(TITLE, () => {
  beforeAll(async () => {
    url = await startServer();
    origin = new URL(url).origin;
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      ],
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGINT");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    // Every page: no console error or warning, no exception, nothing from another origin.
    for (const { page, watch } of opened.splice(0)) {
      await page.close();
      const provoked = (p: string) =>
        watch.allowStatus.some((s) => p.includes(`the server responded with a status of ${s}`));
      expect(watch.problems.filter((p) => !provoked(p))).toEqual([]);
    }
  });

  it("the detectors see a console error, a CSP refusal and a request to another origin (control)", async () => {
    const { page, watch } = await openPage();
    await page.evaluate(() => {
      console.error("boom");
      void fetch("http://example.invalid/x.png").catch(() => {});
    });
    await expect.poll(() => watch.problems.length).toBeGreaterThanOrEqual(2);
    expect(watch.problems).toContain("console: boom");
    // The server's Content-Security-Policy refuses the fetch before it leaves the page.
    expect(watch.problems.join("\n")).toContain("violates the following Content Security Policy");
    watch.problems.length = 0;
    // Without a CSP (a blank page), the request is made, and seen.
    const blank = await openPage(null);
    await blank.page.setContent('<img src="http://example.invalid/x.png" alt="">');
    await expect
      .poll(() => blank.watch.problems)
      .toContain("request: http://example.invalid/x.png");
    blank.watch.problems.length = 0;
  });

  it("Puromycin, Michaelis–Menten: the CLI's estimates, 12 points and a curve, the CLI's CSV", async () => {
    const { page } = await openPage();
    await upload(page, "examples/puromycin-treated.csv", 12);
    await page.selectOption("#model", "michaelis-menten");
    await runAndWait(page);

    const residuals = join(dir, "residuals.csv");
    const run = await cli(
      "fit",
      "examples/puromycin-treated.csv",
      "--model",
      "michaelis-menten",
      "--x",
      "conc",
      "--y",
      "rate",
      "--residuals",
      residuals,
      "--format",
      "json",
    );
    expect(run.code).toBe(0);
    const expected = JSON.parse(run.out[0]!).estimates as Record<string, number>;
    const cells = await page.$$eval("#estimates td[data-param]", (tds) =>
      tds.map((td) => [
        (td as HTMLElement).dataset.param,
        (td as HTMLElement).dataset.value,
        td.textContent,
      ]),
    );
    expect(cells.map((c) => c[0])).toEqual(["Vmax", "Km"]);
    for (const [name, value, shown] of cells) {
      expect(Number(value)).toBe(expected[name!]);
      expect(shown).toBe(String(Number(expected[name!]!.toPrecision(6))));
    }

    const fit = page.locator("[data-chart=fit]");
    expect(await fit.locator("g.points_marks path").count()).toBe(12);
    expect(await fit.locator("g.curve_marks path").count()).toBe(1);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("a[data-file='results.csv']"),
    ]);
    const saved = join(dir, "page-results.csv");
    await download.saveAs(saved);
    const cliCsv = readFileSync(residuals);
    expect(cliCsv.toString("utf8").trimEnd().split("\n")).toHaveLength(13);
    expect(readFileSync(saved)).toEqual(cliCsv);
  });

  it("a file of two herbicides grouped by compound: one row per compound, the CLI's estimates", async () => {
    const { page } = await openPage();
    await upload(page, "examples/s-alba.csv", 68);
    await page.selectOption("#x", "dose");
    await page.selectOption("#y", "drymatter");
    await page.selectOption("#group", "herbicide");
    await page.selectOption("#model", "hill4");
    await runAndWait(page);

    const rows = await page.$$eval("#groups tbody tr", (trs) =>
      trs.map((tr) => ({
        group: tr.querySelector("th")!.textContent,
        K: Number((tr.querySelector("td[data-param=K]") as HTMLElement).dataset.value),
      })),
    );
    expect(rows.map((r) => r.group)).toEqual(["Glyphosate", "Bentazone"]);
    const out = join(dir, "groups.json");
    const run = await cli(
      "fit",
      "examples/s-alba.csv",
      "--model",
      "hill4",
      "--x",
      "dose",
      "--y",
      "drymatter",
      "--group",
      "herbicide",
      "--out",
      out,
    );
    expect(run.code).toBe(0);
    const groups = JSON.parse(readFileSync(out, "utf8")).groups as {
      group: string[];
      estimate: Record<string, number>;
    }[];
    expect(rows).toEqual(groups.map((g) => ({ group: g.group[0], K: g.estimate.K })));
    // The small multiples: a chart was drawn for the groups.
    expect(await page.locator("[data-chart=groups] svg").count()).toBe(1);
  });

  it("training: the loss chart grows while the run is going; cancel keeps what it has", async () => {
    const { page } = await openPage();
    await upload(page, "examples/diabetes.csv", 442);
    await page.check("input[name=mode][value=train]");
    await page.selectOption("#y", "progression");
    await page.selectOption("#net", "mlp:32,16");
    // Long enough on any machine: the test watches the chart grow, then cancels the run.
    await page.fill("#epochs", "20000");
    await page.click("#run");
    const seen = new Set<number>();
    const marks = page.locator("#live-chart g.lossPoints_marks path");
    for (let i = 0; i < 600 && seen.size < 3; i++) {
      const running = (await page.textContent("#status"))?.includes("running");
      const count = await marks.count();
      if (running && count > 0) seen.add(count);
      await page.waitForTimeout(50);
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    await page.click("#cancel");
    await page.waitForSelector("#charts[data-ready]", { timeout: 30_000 });
    await linksWork(page);
    expect(await page.textContent("#status")).toMatch(/: cancelled$/);
    // Stopped at an epoch boundary, well before the end: the result holds the epochs run.
    const epochs = await page
      .locator("#training td[data-value]")
      .first()
      .getAttribute("data-value");
    expect(Number(epochs)).toBeGreaterThan(0);
    expect(Number(epochs)).toBeLessThan(20000);
    expect(await page.locator("#training").textContent()).toContain("interrupted");
  });

  it("a sweep: the heat map fills in, one cell per run, one rectangle per setting", async () => {
    const { page } = await openPage();
    await upload(page, "examples/linear3.csv", 200);
    await page.check("input[name=mode][value=sweep]");
    await page.fill("#epochs", "50");
    await page.fill("#sweep-thresholds", "0.1, 1");
    await page.fill("#sweep-lrs", "0.01, 0.1");
    await page.fill("#sweep-seeds", "1");
    await runAndWait(page);
    // global-norm at 0.1 and 1 plus the unclipped baseline, at 2 rates.
    await expect.poll(() => page.getAttribute("#live-chart", "data-cells")).toBe("6");
    expect(await page.locator("#live-chart g.mark-rect.role-mark path").count()).toBe(6);
    expect(await page.locator("#recommendation p").count()).toBeGreaterThan(0);
    expect(await page.locator("[data-chart=sweep] svg").count()).toBe(1);
  });

  it("a formula typo: the compiler's message and position under the formula field", async () => {
    const { page, watch } = await openPage();
    watch.allowStatus.push(400);
    // The token leaves the address bar and is kept for the session: a reload still works.
    expect(page.url()).toBe(`${origin}/`);
    await page.reload();
    await upload(page, "examples/puromycin-treated.csv", 12);
    await page.selectOption("#model", "(formula)");
    await page.fill("#formula", "Vmax*conc/(Km+*conc)");
    const error = page.locator("#err-formula");
    await error.waitFor({ state: "visible" });
    expect(await error.textContent()).toContain("formula:1:15: value expected");
    expect(await error.getAttribute("data-position")).toBe("14");
    expect(await error.locator(".caret").textContent()).toBe(
      `Vmax*conc/(Km+*conc)\n${" ".repeat(14)}^`,
    );
    const field = (await page.locator("#formula").boundingBox())!;
    const below = (await error.boundingBox())!;
    expect(below.y).toBeGreaterThanOrEqual(field.y + field.height);

    // Corrected, the error goes and the parameters appear; run without starts and the
    // server's message lands next to the starts.
    await page.fill("#formula", "Vmax*conc/(Km+conc)");
    await error.waitFor({ state: "hidden" });
    await expect
      .poll(() => page.locator("#params tbody th").allTextContents())
      .toEqual(["Vmax", "Km"]);
    await page.click("#run");
    const start = page.locator("#err-start");
    await start.waitFor({ state: "visible" });
    expect(await start.textContent()).toMatch(/^start: /);
  });
});
