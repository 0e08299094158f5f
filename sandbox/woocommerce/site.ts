// The store's home URL as a request sees it: WordPress builds links with the https scheme when
// is_ssl() is true for that request.

export interface Site {
  /** scheme://host:port, no trailing slash. */
  home: string;
  /** Site-local time offset for the non-gmt date fields. */
  tzOffsetMinutes: number;
}

export function siteFor(hostPort: string, isSsl: boolean, tzOffsetMinutes: number): Site {
  return { home: `${isSsl ? 'https' : 'http'}://${hostPort}`, tzOffsetMinutes };
}

/** rest_url(): home + /wp-json + route. */
export function restUrl(site: Site, route: string): string {
  return `${site.home}/wp-json${route}`;
}

export const WC_NAMESPACE = '/wc/v3';
