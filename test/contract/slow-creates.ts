import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContractStore } from './store';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/**
 * Makes the next creates slow the way a real store is slow: it downloads the product's image
 * between its SKU check and its insert. The sandbox gets the same delay by fault injection.
 */
export class SlowCreates {
  private server?: http.Server;
  private url = '';
  private n = 0;
  constructor(private readonly store: ContractStore, private readonly ms: number) {}

  async start(): Promise<void> {
    if (this.store.sandbox) {
      this.store.sandbox.setFaults({ slowCreateMs: this.ms });
      return;
    }
    // Only the first download of each image is slow: the create is slow, the later pushes (which
    // send the image again until images are referenced by media id) are not.
    const seen = new Set<string>();
    this.server = http.createServer((req, res) => {
      const first = !seen.has(req.url ?? '');
      seen.add(req.url ?? '');
      setTimeout(() => res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG), first ? this.ms : 0);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Fields to add to a create so that it is slow. */
  fields(): { images?: { src: string }[] } {
    if (this.store.sandbox) return {};
    this.n += 1;
    return { images: [{ src: `${this.url}/slow-${this.n}.png` }] };
  }

  /** A variant's image field that makes its variation's create slow. */
  image(): { image?: { src: string } } {
    const f = this.fields();
    return f.images ? { image: f.images[0]! } : {};
  }

  async stop(): Promise<void> {
    this.store.sandbox?.setFaults({ slowCreateMs: 0 });
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

