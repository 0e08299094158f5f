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
  private hold = 0;
  private held: (() => void)[] = [];
  private onArrival?: () => void;
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
      const answer = () => setTimeout(() => res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG), first ? this.ms : 0);
      if (!first || this.held.length + 1 >= this.hold) {
        const all = [...this.held.splice(0), answer];
        all.forEach((a) => a());
      } else {
        this.held.push(answer);
        setTimeout(() => this.held.splice(0).forEach((a) => a()), 60_000).unref();
      }
      this.onArrival?.();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * Creates that surely overlap on a real store: `first()` is started, and once its image download
   * arrived (the create is past its SKU check) `second()`, while the first create's download is held
   * until the second's arrives too. Started together instead, both requests can land on the same
   * worker of the kit's PHP server, which then runs them one after the other. The sandbox's slow
   * creates overlap as they are.
   */
  async overlapping<T>(first: () => Promise<T>, second: () => Promise<T>): Promise<[T, T]> {
    if (this.store.sandbox) return Promise.all([first(), second()]);
    this.hold = 2;
    const arrived = new Promise<void>((resolve) => { this.onArrival = resolve; });
    const a = first();
    await Promise.race([arrived, a]);
    this.onArrival = undefined;
    try {
      return await Promise.all([a, second()]);
    } finally {
      this.hold = 0;
    }
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

