import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";

/**
 * A forward proxy for tests, as offices run them: it tunnels CONNECT requests and notes the
 * HTTP requests that pass through each tunnel (the targets here speak plain HTTP), so a test
 * can see that every outgoing call went through it.
 */
export class TestProxy {
  readonly requests: { target: string; method: string; path: string }[] = [];
  #server: http.Server | undefined;
  readonly #sockets = new Set<net.Socket>();

  async start(): Promise<void> {
    this.#server = http.createServer((_req, res) => res.writeHead(405).end());
    this.#server.on("connect", (req, client: net.Socket, head: Buffer) => {
      const target = req.url ?? "";
      const [host, port] = target.split(":");
      const upstream = net.connect(Number(port), host ?? "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (head.length) upstream.write(head);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on("close", () => this.#sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.on("data", (chunk: Buffer) => {
        for (const match of chunk.toString("latin1").matchAll(/(GET|POST|PUT) (\S+) HTTP\/1\.1\r\n/g)) {
          this.requests.push({ target, method: match[1] ?? "", path: match[2] ?? "" });
        }
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
  }

  get url(): string {
    const address = this.#server?.address() as AddressInfo | undefined;
    if (!address) throw new Error("the proxy is not started");
    return `http://127.0.0.1:${address.port}`;
  }

  paths(prefix: string): string[] {
    return this.requests.filter((r) => r.path.startsWith(prefix)).map((r) => r.path);
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
