// The text filters WordPress applies to descriptions in the "view" context: wpautop, and for short
// descriptions also a light wptexturize/convert_chars. Writes answer in "edit" context (raw).

const BLOCKS =
  '(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|' +
  'math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)';

/** wpautop: paragraphs become <p>…</p>, single newlines <br />, block tags are left alone. */
export function wpautop(text: string): string {
  if (text.trim() === '') return '';
  let pee = text.replace(/\r\n|\r/g, '\n') + '\n';
  pee = pee.replace(/<br\s*\/?>\s*<br\s*\/?>/g, '\n\n');
  pee = pee.replace(new RegExp(`(<${BLOCKS}[\\s/>])`, 'g'), '\n\n$1');
  pee = pee.replace(new RegExp(`(</${BLOCKS}>)`, 'g'), '$1\n\n');
  pee = pee.replace(/\n\n+/g, '\n\n');
  const paragraphs = pee.split(/\n\s*\n/).filter((p) => p.trim() !== '');
  pee = paragraphs.map((p) => `<p>${p.replace(/^\n+|\n+$/g, '')}</p>\n`).join('');
  pee = pee.replace(/<p>\s*<\/p>/g, '');
  pee = pee.replace(new RegExp(`<p>\\s*(</?${BLOCKS}[^>]*>)\\s*</p>`, 'g'), '$1');
  pee = pee.replace(new RegExp(`<p>\\s*(</?${BLOCKS}[^>]*>)`, 'g'), '$1');
  pee = pee.replace(new RegExp(`(</?${BLOCKS}[^>]*>)\\s*</p>`, 'g'), '$1');
  pee = pee.replace(/(?<!<br \/>)\s*\n(?!$)/g, '<br />\n');
  pee = pee.replace(new RegExp(`(</?${BLOCKS}[^>]*>)\\s*<br />`, 'g'), '$1');
  pee = pee.replace(/<br \/>(\s*<\/?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)/g, '$1');
  pee = pee.replace(/\n<\/p>$/, '</p>');
  return pee.endsWith('\n') ? pee : pee + '\n';
}

/** A light wptexturize + convert_chars on the text outside tags. */
export function texturize(text: string): string {
  return text
    .split(/(<[^>]*>)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/&(?!#?[a-zA-Z0-9]{1,8};)/g, '&#038;')
            .replace(/\.\.\./g, '&#8230;')
            .replace(/---/g, '&#8212;')
            .replace(/ -- /g, ' &#8212; ')
            .replace(/--/g, '&#8211;')
            .replace(/(\w)'(\w)/g, '$1&#8217;$2')
            .replace(/(^|\s)"(?=\S)/g, '$1&#8220;')
            .replace(/(\S)"/g, '$1&#8221;'),
    )
    .join('');
}

/** The woocommerce_short_description filter (also wc_format_content for variation descriptions). */
export function formatShortDescription(text: string): string {
  return wpautop(texturize(text));
}
