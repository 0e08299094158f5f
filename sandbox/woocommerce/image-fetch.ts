// Image downloads (wc_rest_upload_image_from_url's download_url step), done before the
// synchronous handler runs. Loopback URLs are really fetched, as the kit's real store does (it can
// reach only 127.0.0.1), so a test image server decides success; other hosts are not reachable
// from a sandbox and count as downloaded (hosts ending in .invalid fail), as on a shop online.
import http from 'node:http';

export type FetchOutcome = { ok: true; isImage: boolean } | { ok: false; error: string };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Every src the request sends without an image id, in order (product images, a variation's image, batch items). */
export function imageSrcsWithoutId(body: unknown): string[] {
  const out: string[] = [];
  const ref = (img: unknown) => {
    if (typeof img !== 'object' || img === null) return;
    const r = img as { id?: unknown; src?: unknown };
    if (!Number(r.id) && typeof r.src === 'string') out.push(r.src);
  };
  const item = (b: unknown) => {
    if (typeof b !== 'object' || b === null) return;
    const o = b as Record<string, unknown>;
    if (Array.isArray(o.images)) o.images.forEach(ref);
    else if (typeof o.images === 'object' && o.images !== null) Object.values(o.images).forEach(ref);
    ref(o.image);
    for (const op of ['create', 'update'] as const) if (Array.isArray(o[op])) (o[op] as unknown[]).forEach(item);
  };
  item(body);
  return out;
}

export function isLoopbackUrl(src: string): boolean {
  try {
    const u = new URL(src);
    return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK.has(u.hostname);
  } catch {
    return false;
  }
}

/** PNG, JPEG, GIF, WebP, BMP magic bytes: what getimagesize() would accept. */
function looksLikeImage(b: Buffer): boolean {
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))) return true;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return true;
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return true;
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return true;
  return b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d;
}

/** download_url over loopback, with WordPress's error messages (recorded from WooCommerce 8.9.1). */
export function fetchImage(src: string, timeoutMs = 10_000): Promise<FetchOutcome> {
  const url = new URL(src);
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) resolve({ ok: false, error: res.statusMessage ?? String(res.statusCode) });
        else resolve({ ok: true, isImage: looksLikeImage(Buffer.concat(chunks)) });
      });
      res.on('error', (err) => resolve({ ok: false, error: `cURL error 56: ${err.message}` }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const port = url.port || (url.protocol === 'https:' ? '443' : '80');
      resolve({
        ok: false,
        error: err.code === 'ECONNREFUSED'
          ? `cURL error 7: Failed to connect to ${url.hostname} port ${port} after 0 ms: Couldn't connect to server`
          : `cURL error 28: ${err.message}`,
      });
    });
  });
}

/** The outcomes of the loopback downloads a request will need, by src. */
export async function prefetchImages(body: unknown): Promise<Map<string, FetchOutcome>> {
  const srcs = [...new Set(imageSrcsWithoutId(body).filter(isLoopbackUrl))];
  const outcomes = await Promise.all(srcs.map(async (s) => [s, await fetchImage(s)] as const));
  return new Map(outcomes);
}
