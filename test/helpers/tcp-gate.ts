import net from 'node:net';

/**
 * A TCP relay in front of a server that can be frozen: while frozen nothing passes either way,
 * so a client's replies are lost as if its process died before they left. `open()` drops every
 * connection made so far and lets new ones through.
 */
export interface TcpGate {
  address: string;
  freeze(): void;
  open(): void;
  close(): Promise<void>;
}

export async function tcpGate(target: string): Promise<TcpGate> {
  const [host, port] = target.split(':') as [string, string];
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), host);
    track(client);
    track(upstream);
    client.on('data', (d) => void (!frozen && upstream.write(d)));
    upstream.on('data', (d) => void (!frozen && client.write(d)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: local } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${local}`,
    freeze: () => void (frozen = true),
    open: () => {
      for (const s of sockets) s.destroy();
      frozen = false;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
