import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { startServer } from "../../src/serve/server.js";
import { rawRequest, type TestServer, testServer } from "./api-helpers.js";

const LIMIT = 4096;
let t: TestServer;
let host: string;

beforeAll(async () => {
  t = await testServer({ maxUploadBytes: LIMIT });
  host = `127.0.0.1:${t.server.port}`;
});
afterAll(() => t.server.close());

describe("biograd serve: the token", () => {
  it("refuses /api without the token, or with a wrong one, with 401", async () => {
    const none = await fetch(`${t.server.origin}/api/models`);
    expect(none.status).toBe(401);
    expect((await none.json()).error.message).toMatch(/token/);
    const wrong = await fetch(
      `${t.server.origin}/api/models?token=${"x".repeat(t.server.token.length)}`,
    );
    expect(wrong.status).toBe(401);
    const bearer = await fetch(`${t.server.origin}/api/models`, {
      headers: { Authorization: "Bearer nope" },
    });
    expect(bearer.status).toBe(401);
  });

  it("answers with the token in the header or the query", async () => {
    expect((await t.api("/api/models")).status).toBe(200);
    expect((await fetch(`${t.server.origin}/api/models?token=${t.server.token}`)).status).toBe(200);
  });

  it("makes a new random token at every start", async () => {
    const other = await startServer({ port: 0 });
    try {
      expect(other.token).not.toBe(t.server.token);
      expect(other.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      await other.close();
    }
  });
});

describe("biograd serve: Host and Origin (DNS rebinding, cross-site requests)", () => {
  const auth = () => ({ Authorization: `Bearer ${t.server.token}` });

  it("refuses a Host that is not the server's with 403, on the page and the API", async () => {
    for (const path of ["/", "/api/models"]) {
      const r = await rawRequest(t.server.port, {
        path,
        headers: { Host: `evil.example:${t.server.port}`, ...auth() },
      });
      expect(r.status).toBe(403);
    }
    const otherPort = await rawRequest(t.server.port, {
      path: "/api/models",
      headers: { Host: "127.0.0.1:1", ...auth() },
    });
    expect(otherPort.status).toBe(403);
  });

  it("accepts the loopback spellings of its own host and port", async () => {
    for (const h of [host, `localhost:${t.server.port}`]) {
      const r = await rawRequest(t.server.port, {
        path: "/api/models",
        headers: { Host: h, ...auth() },
      });
      expect(r.status).toBe(200);
    }
  });

  it("refuses a cross-site Origin with 403 and accepts its own", async () => {
    const evil = await rawRequest(t.server.port, {
      method: "POST",
      path: "/api/tasks",
      headers: {
        Host: host,
        Origin: "http://evil.example",
        "Content-Type": "application/json",
        ...auth(),
      },
      body: Buffer.from("{}"),
    });
    expect(evil.status).toBe(403);
    const nullOrigin = await rawRequest(t.server.port, {
      path: "/api/models",
      headers: { Host: host, Origin: "null", ...auth() },
    });
    expect(nullOrigin.status).toBe(403);
    const own = await rawRequest(t.server.port, {
      path: "/api/models",
      headers: { Host: host, Origin: `http://${host}`, ...auth() },
    });
    expect(own.status).toBe(200);
  });
});

describe("biograd serve: uploads", () => {
  it("refuses an upload over the limit with 413 and a clear message, and keeps serving", async () => {
    const big = Buffer.alloc(LIMIT + 1, "1\n");
    const declared = await t.api("/api/uploads", {
      method: "POST",
      headers: { "X-Filename": "big.csv" },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error).toEqual({
      message: "big.csv is larger than the limit of 4 KB (biograd serve --max-upload-mb)",
      field: "file",
    });
    // Streamed without a length: stopped as it passes the limit.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(1024).fill(49));
        c.close();
      },
    });
    const streamed = await t.api("/api/uploads", {
      method: "POST",
      headers: { "X-Filename": "big.csv" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(readdirSync(t.server.uploadDir)).toEqual([]);
    const after = await t.upload("examples/puromycin-treated.csv");
    expect(after.rows).toBe(12);
  });

  it("stores an upload named ../../etc/passwd under a generated name inside its private directory only", async () => {
    const dir = t.server.uploadDir;
    const target = resolve(dir, "../../etc/passwd");
    const before = existsSync(target) ? readFileSync(target) : null;
    const up = await t.upload("examples/puromycin-treated.csv", "../../etc/passwd");
    expect(up.name).toBe("passwd");
    expect(readdirSync(dir)).toContain(`${up.id}.csv`);
    expect(readdirSync(dir).every((f) => /^u_[0-9a-f]{24}\.csv$/.test(f))).toBe(true);
    expect(readFileSync(`${dir}/${up.id}.csv`)).toEqual(
      readFileSync("examples/puromycin-treated.csv"),
    );
    expect(existsSync(target) ? readFileSync(target) : null).toEqual(before);
    expect(readdirSync(dirname(dir))).not.toContain("passwd");
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(lstatSync(`${dir}/${up.id}.csv`).mode & 0o777).toBe(0o600);
  });

  it("refuses file types it does not read, storing nothing", async () => {
    const before = readdirSync(t.server.uploadDir).length;
    const r = await t.api("/api/uploads", {
      method: "POST",
      headers: { "X-Filename": "x.sh" },
      body: "echo",
    });
    expect(r.status).toBe(400);
    expect((await r.json()).error).toEqual({
      message: "x.sh: .sh files are not read; upload CSV, TSV or an Excel workbook (.xlsx)",
      field: "file",
    });
    expect(readdirSync(t.server.uploadDir).length).toBe(before);
  });

  it("refuses a table over the row limit with 413", async () => {
    const small = await testServer({ maxRows: 5 });
    try {
      const r = await small.api("/api/uploads", {
        method: "POST",
        headers: { "X-Filename": "p.csv" },
        body: "x,y\n1,2\n2,3\n3,4\n4,5\n5,6\n6,7\n",
      });
      expect(r.status).toBe(413);
      expect((await r.json()).error.message).toBe("p.csv: 6 rows, more than the limit of 5");
    } finally {
      await small.server.close();
    }
  });

  it("never names a file path given by the page: data.file is refused", async () => {
    const r = await t.api("/api/tasks", {
      method: "POST",
      body: JSON.stringify({
        task: "fit-curve",
        data: { file: "/etc/passwd" },
        model: "michaelis-menten",
        x: ["a"],
        y: "b",
      }),
    });
    expect(r.status).toBe(400);
    expect((await r.json()).error.field).toBe("file");
  });
});

describe("biograd serve: the page and its headers", () => {
  it("sends a strict CSP and no-store on the API", async () => {
    const page = await fetch(`${t.server.origin}/`);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).not.toMatch(/https?:/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect((await t.api("/api/models")).headers.get("cache-control")).toBe("no-store");
  });

  it("serves nothing outside the page's directory and 404s missing assets", async () => {
    for (const path of [
      "/..%2f..%2fpackage.json",
      "/%2e%2e/%2e%2e/package.json",
      "/assets/missing.js",
    ]) {
      const r = await rawRequest(t.server.port, { path, headers: { Host: host } });
      expect(r.status).toBe(404);
    }
  });
});

describe("biograd serve: where it listens", () => {
  it("refuses a non-loopback address unless --host asked for it, and warns when it did", async () => {
    await expect(startServer({ port: 0, host: "0.0.0.0" })).rejects.toThrow(InputError);
    await expect(startServer({ port: 0, host: "0.0.0.0" })).rejects.toThrow(
      "--host: 0.0.0.0 is not a loopback address; give it explicitly with --host to serve beyond this machine",
    );
    const open = await startServer({ port: 0, host: "0.0.0.0", hostGiven: true });
    try {
      expect(open.warning).toMatch(/warning: listening on 0\.0\.0\.0/);
    } finally {
      await open.close();
    }
    const local = await startServer({ port: 0 });
    expect(local.warning).toBeNull();
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    await local.close();
  });
});
