// eCom takes images as base64 uploads: the writer downloads a POS image's src and hashes its bytes,
// so an image whose content was uploaded already is not sent again.
import crypto from 'node:crypto';
import axios from 'axios';

export interface ImageBytes {
  base64: string;
  hash: string;
  size: number;
}

/** The image cannot be had (the source answers 4xx): the product is written without it. */
export class ImageUnavailable extends Error {
  constructor(readonly src: string, reason: string) {
    super(`image ${src} cannot be downloaded: ${reason}`);
  }
}

/** Downloads an image; a 4xx or a bad URL is ImageUnavailable, anything else (5xx, network) a fault to retry. */
export async function downloadImage(src: string, signal?: AbortSignal, timeoutMs = 30_000): Promise<ImageBytes> {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    throw new ImageUnavailable(src, 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ImageUnavailable(src, `unsupported protocol ${url.protocol}`);
  const res = await axios.get<ArrayBuffer>(url.toString(), { responseType: 'arraybuffer', timeout: timeoutMs, signal, validateStatus: () => true, maxRedirects: 5 });
  if (res.status >= 400 && res.status < 500) throw new ImageUnavailable(src, `HTTP ${res.status}`);
  if (res.status < 200 || res.status >= 300) throw new Error(`image ${src}: HTTP ${res.status}`);
  const bytes = Buffer.from(res.data);
  if (bytes.length === 0) throw new ImageUnavailable(src, 'empty file');
  return { base64: bytes.toString('base64'), hash: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}
