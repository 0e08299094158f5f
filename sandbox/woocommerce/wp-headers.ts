// Headers every WordPress REST answer carries.
import type { Site } from './site';

export function wpHeaders(site: Site, opts: { method: string; authenticated: boolean; allow?: string }): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=UTF-8',
    'X-Robots-Tag': 'noindex',
    Link: `<${site.home}/wp-json/>; rel="https://api.w.org/"`,
    'X-Content-Type-Options': 'nosniff',
    'Access-Control-Expose-Headers': 'X-WP-Total, X-WP-TotalPages, Link',
    'Access-Control-Allow-Headers': 'Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type',
  };
  if (opts.allow) headers.Allow = opts.allow;
  if (opts.authenticated) {
    headers.Expires = 'Wed, 11 Jan 1984 05:00:00 GMT';
    headers['Cache-Control'] = 'no-cache, must-revalidate, max-age=0, no-store, private';
  } else if (opts.method === 'GET') {
    headers.Vary = 'Origin';
  }
  return headers;
}
