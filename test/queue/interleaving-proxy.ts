import { connect, createServer, type Socket } from "node:net";

/**
 * A TCP proxy in front of a test's Redis that fixes an interleaving instead of hoping for it.
 * Once armed with a marker (a key name), it holds the first reply Redis sends back after a
 * client sent a command naming that key, runs `during` (another client's writes), and only
 * then forwards the reply. So the client's read has certainly happened before `during`, and
 * everything the client does after the read certainly happens after it.
 */
export async function interleavingProxy(redisPort: number) {
  const sockets = new Set<Socket>();
  let armed: {
    marker: Buffer;
    during: () => Promise<void>;
    done: (error?: unknown) => void;
  } | null = null;
  const server = createServer((client) => {
    const upstream = connect(redisPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => sockets.delete(s));
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    let readSent = false;
    let forwarding = Promise.resolve(); // replies reach the client in the order Redis sent them
    client.on("data", (chunk: Buffer) => {
      if (armed !== null && chunk.includes(armed.marker)) readSent = true;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      const hook = readSent ? armed : null;
      if (hook !== null) {
        armed = null;
        readSent = false;
        forwarding = forwarding.then(() =>
          hook.during().then(
            () => hook.done(),
            (error: unknown) => hook.done(error),
          ),
        );
      }
      forwarding = forwarding.then(() => {
        client.write(chunk);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    /** Resolves once `during` ran (rejects with its error): after the next read of `marker`. */
    arm(marker: string, during: () => Promise<void>): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        armed = {
          marker: Buffer.from(marker),
          during,
          done: (error) => (error === undefined ? resolve() : reject(error)),
        };
      });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
