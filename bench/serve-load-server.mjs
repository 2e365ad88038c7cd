// The server of bench/serve-load.mjs: `biograd serve` as the CLI starts it (startServer from
// dist/), run with --expose-gc so the bench can ask for the heap after a full collection (RSS
// alone also counts memory V8 has not given back). Talks to the bench over the IPC channel.
import { startServer } from "../dist/serve/server.js";

const server = await startServer({ port: 0 });
process.send({ url: server.url });
process.on("message", async (message) => {
  if (message === "memory") {
    global.gc();
    await new Promise((r) => setTimeout(r, 100));
    global.gc();
    const m = process.memoryUsage();
    process.send({ rss: m.rss, heapUsed: m.heapUsed });
  } else if (message === "stop") {
    await server.close();
    process.exit(0);
  }
});
