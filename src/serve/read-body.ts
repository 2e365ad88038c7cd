import { HttpError } from "./http-error.js";

/** "50 MB" (or "4 KB" under a megabyte) for a byte count. */
export function megabytes(bytes: number): string {
  if (bytes < 2 ** 20) return `${Math.ceil(bytes / 1024)} KB`;
  return `${Math.round((bytes / 2 ** 20) * 10) / 10} MB`;
}

/**
 * A request body as bytes, refused with 413 as soon as it passes `limit` (by its
 * Content-Length when sent, else while it streams), so an oversized upload is never held
 * in memory whole.
 */
export async function readBody(request: Request, limit: number, what: string): Promise<Buffer> {
  const tooLarge = () =>
    new HttpError(
      413,
      `${what} is larger than the limit of ${megabytes(limit)} (biograd serve --max-upload-mb)`,
      "file",
    );
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (request.body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, size);
}

/** A JSON request body (at most 1 MB), refused with 400 naming what it is when it does not parse. */
export async function readJson(request: Request): Promise<unknown> {
  const bytes = await readBody(request, 2 ** 20, "the request");
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new HttpError(400, "request: not valid JSON");
  }
}
