// The media library: images written as {src} are "sideloaded" into wp-content/uploads. Loopback
// URLs were fetched for real before the request ran (image-fetch.ts); any other http(s) URL with
// an image extension works, hosts ending in .invalid fail to download.
import { formatWpDate } from './dates';
import type { FetchOutcome } from './image-fetch';

export interface MediaItem {
  id: number;
  created: number;
  modified: number;
  /** Path under the store home, e.g. 'wp-content/uploads/2026/11/tee.jpg'. */
  path: string;
  name: string;
  alt: string;
}

const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'jpe', 'gif', 'png', 'bmp', 'tif', 'tiff', 'ico', 'webp', 'avif', 'heic']);

export interface MediaSnapshot {
  items: MediaItem[];
}

export class ImageUploadError extends Error {}

export class MediaLibrary {
  readonly items = new Map<number, MediaItem>();
  private readonly usedPaths = new Set<string>();
  /** Downloads attempted (every image sent without an id), for the stats and the per-image latency. */
  downloads = 0;
  /** The real downloads of the request being handled, by src. */
  fetched: ReadonlyMap<string, FetchOutcome> = new Map();

  constructor(private readonly allocateId: () => number) {}

  snapshot(): MediaSnapshot {
    return { items: [...this.items.values()] };
  }

  restore(s: MediaSnapshot): void {
    this.items.clear();
    this.usedPaths.clear();
    for (const item of s.items) {
      this.items.set(item.id, item);
      this.usedPaths.add(item.path);
    }
  }

  get(id: number): MediaItem | undefined {
    return this.items.get(id);
  }

  /** wc_rest_upload_image_from_url + wc_rest_set_uploaded_image_as_attachment: always a new attachment. */
  sideload(src: string, now: number): MediaItem {
    let url: URL;
    try {
      url = new URL(src);
    } catch {
      throw new ImageUploadError(`Error getting remote image ${src}. Error: A valid URL was not provided.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ImageUploadError(`Error getting remote image ${src}. Error: A valid URL was not provided.`);
    }
    this.downloads++;
    if (url.hostname.endsWith('.invalid')) {
      throw new ImageUploadError(`Error getting remote image ${src}. Error: cURL error 6: Could not resolve host: ${url.hostname}`);
    }
    const fetched = this.fetched.get(src);
    if (fetched && !fetched.ok) throw new ImageUploadError(`Error getting remote image ${src}. Error: ${fetched.error}`);
    let base = url.pathname.split('/').pop() ?? '';
    try {
      base = decodeURIComponent(base);
    } catch {
      // keep the raw name
    }
    base = base.replace(/\s+/g, '-');
    const dot = base.lastIndexOf('.');
    const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
    if (!IMAGE_EXTENSIONS.has(ext) || (fetched?.ok && !fetched.isImage)) {
      throw new ImageUploadError('Invalid image: Sorry, you are not allowed to upload this file type.');
    }
    const folder = `wp-content/uploads/${formatWpDate(now).slice(0, 7).replace('-', '/')}`;
    const stem = base.slice(0, dot);
    let file = base;
    for (let i = 1; this.usedPaths.has(`${folder}/${file}`); i++) file = `${stem}-${i}.${base.slice(dot + 1)}`;
    const path = `${folder}/${file}`;
    this.usedPaths.add(path);
    const item: MediaItem = { id: this.allocateId(), created: now, modified: now, path, name: file, alt: '' };
    this.items.set(item.id, item);
    return item;
  }
}
