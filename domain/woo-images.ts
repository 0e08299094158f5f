/**
 * Product images as WooCommerce REST writes them (issue 6 points 1 and 2). Pure: no I/O.
 *
 * WooCommerce downloads every image sent without an `id` and makes a new attachment of it, so
 * an image is sent by `src` once per connection and by the media id the shop answered ever
 * after. A ref carries both when the id is known: the shop ignores `src` when `id` is set, and
 * dropping the `id` is all it takes to send the image again when the shop refuses the id.
 */
import type { ProductImage } from './product';

export interface WooImageRef {
  id?: number;
  src?: string;
  alt?: string;
}

/** Media ids the shop gave our images, keyed by mediaKey(variantId, POS src). */
export type KnownMedia = ReadonlyMap<string, number>;

export const NO_MEDIA: KnownMedia = new Map();

/** The parent product's images use variant id null. */
export function mediaKey(variantId: number | null, src: string): string {
  return `${variantId ?? 0}\u0000${src}`;
}

export function imageRef(image: ProductImage, id: number | undefined): WooImageRef {
  return { ...(id !== undefined ? { id } : {}), src: image.src, ...(image.alt ? { alt: image.alt } : {}) };
}

/** True when the shop would download this image (WooCommerce: `id` empty and `src` set). */
export function needsDownload(ref: WooImageRef): boolean {
  return !ref.id && !!ref.src;
}

export type ImageProblem =
  /** The shop could not fetch or accept an image sent by src; `src` is absent when its message does not name it. */
  | { kind: 'upload'; src?: string; message: string }
  /** The shop refused a media id (the attachment was deleted in WooCommerce). */
  | { kind: 'invalid-id'; id: number; message: string };

const UPLOAD_CODES = /^woocommerce_(product|variation)_image_upload_error$/;
const INVALID_ID_CODES = /^woocommerce_(product|variation)_invalid_image_id$/;

/** Reads a WooCommerce error (single answer or batch item) as an image problem, if it is one. */
export function imageProblemOf(code: string | undefined, message: string | undefined): ImageProblem | undefined {
  const text = message ?? '';
  if (code && UPLOAD_CODES.test(code)) {
    // wc_rest_upload_image_from_url: "Error getting remote image <url>. Error: <why>".
    const m = /^Error getting remote image (.+?)\. Error: /.exec(text);
    return { kind: 'upload', ...(m ? { src: m[1] } : {}), message: text };
  }
  if (code && INVALID_ID_CODES.test(code)) {
    const m = /#(\d+) is an invalid image ID/.exec(text);
    return { kind: 'invalid-id', id: m ? Number(m[1]) : 0, message: text };
  }
  return undefined;
}

/**
 * The image list to send again after `problem`: a refused id is sent by src (downloaded anew);
 * an image the shop could not fetch is left out (the others still go), every not-yet-uploaded
 * one when the message does not say which. Undefined when nothing would change.
 */
export function imagesAfterProblem(images: WooImageRef[], problem: ImageProblem): WooImageRef[] | undefined {
  let next: WooImageRef[];
  if (problem.kind === 'invalid-id') {
    next = images.map((r) => (problem.id === 0 || r.id === problem.id ? dropId(r) : r));
  } else {
    next = images.filter((r) => !(needsDownload(r) && (problem.src === undefined || sameSrc(r.src!, problem.src))));
  }
  return JSON.stringify(next) === JSON.stringify(images) ? undefined : next;
}

function dropId(r: WooImageRef): WooImageRef {
  const { id: _id, ...rest } = r;
  return rest;
}

/** The shop names the URL after esc_url_raw; compare loosely enough for that. */
function sameSrc(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/**
 * The media id of each image we sent by src, read from the shop's answer: WooCommerce keeps the
 * order of the images it was sent (index 0 featured, then the gallery).
 */
export function uploadedMedia(sent: WooImageRef[], answered: { id: number }[] | undefined): { src: string; id: number }[] {
  if (!answered || answered.length !== sent.length) return [];
  return sent.flatMap((r, i) => {
    const id = Number(answered[i]?.id);
    return r.src && Number.isSafeInteger(id) && id > 0 ? [{ src: r.src, id }] : [];
  });
}

/** A variation's single image after `problem`: undefined leaves the image out (the shop keeps its own). */
export function imageAfterProblem(ref: WooImageRef | undefined, problem: ImageProblem): WooImageRef | undefined {
  if (!ref) return undefined;
  if (problem.kind === 'invalid-id') return ref.id ? dropId(ref) : undefined;
  return needsDownload(ref) ? undefined : ref;
}
