// A TCP proxy on loopback in front of a server (PostgreSQL) that a test can cut and restore: a cut destroys every open
// connection and leaves new ones hanging unanswered, as an unreachable host does; restore forwards again.
import net from "node:net";
import type { AddressInfo } from "node:net";

export type TcpProxy = { port: number; cut: () => void; restore: () => void; close: () => Promise<void> };

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let isCut = false;
  const server = net.createServer((client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => undefined);
    // Cut: accept and say nothing, so the caller's connect timeout is what ends the wait.
    if (isCut) return;
    const upstream = net.connect(target.port, target.host);
    open.add(upstream);
    upstream.on("close", () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const destroyAll = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
  return {
    port,
    cut() {
      isCut = true;
      destroyAll();
    },
    restore() {
      isCut = false;
      // Connections accepted during the cut were never forwarded: end them so their callers try again.
      destroyAll();
    },
    close: () =>
      new Promise((resolve) => {
        destroyAll();
        server.close(() => resolve());
      }),
  };
}
