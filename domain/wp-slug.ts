/**
 * WordPress's `sanitize_title` for Latin text: accents removed (Romanian ș ț ă â î included),
 * lower case, dots and whitespace to dashes, everything else that is not a letter, digit, `_` or
 * `-` dropped, dashes collapsed and trimmed. The SmartBill plugin matches a product without a code
 * by comparing these slugs of the two names (M-D1).
 */
export function wpSlug(title: string): string {
  return title
    .replace(/<[^>]*>/g, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss').replace(/æ/gi, 'ae').replace(/ø/gi, 'o').replace(/đ/gi, 'd').replace(/ł/gi, 'l')
    .toLowerCase()
    .replace(/&[a-z0-9#]+;/g, '')
    .replace(/\./g, '-')
    .replace(/[^a-z0-9 _\-\s]/g, '')
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}
