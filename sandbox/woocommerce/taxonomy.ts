// Terms a product points to: categories, tags and global attributes. Unknown ids are invented on
// the fly (a real store would already hold them), so clients can write any category id.
import { sanitizeTitle } from './sanitize';

export interface Term {
  id: number;
  name: string;
  slug: string;
}

/** WooCommerce's default product category: every product without a category gets it. */
export const UNCATEGORIZED_ID = 15;

export interface TaxonomySnapshot {
  categories: Term[];
  tags: Term[];
  attributes: Term[];
  nextTermId: number;
}

export class Taxonomy {
  readonly categories = new Map<number, Term>();
  readonly tags = new Map<number, Term>();
  readonly attributes = new Map<number, Term>();
  private nextTermId = UNCATEGORIZED_ID + 1;

  constructor() {
    this.categories.set(UNCATEGORIZED_ID, { id: UNCATEGORIZED_ID, name: 'Uncategorized', slug: 'uncategorized' });
  }

  snapshot(): TaxonomySnapshot {
    return { categories: [...this.categories.values()], tags: [...this.tags.values()], attributes: [...this.attributes.values()], nextTermId: this.nextTermId };
  }

  restore(s: TaxonomySnapshot): void {
    for (const [map, terms] of [[this.categories, s.categories], [this.tags, s.tags], [this.attributes, s.attributes]] as const) {
      map.clear();
      for (const t of terms) map.set(t.id, t);
    }
    this.nextTermId = s.nextTermId;
  }

  category(id: number): Term {
    return this.findOrInvent(this.categories, id, 'Category');
  }

  tag(id: number): Term {
    return this.findOrInvent(this.tags, id, 'Tag');
  }

  /** A tag written as {name}: the existing one with that name, or a new one. */
  tagByName(name: string): Term {
    for (const t of this.tags.values()) if (t.name.toLowerCase() === name.toLowerCase()) return t;
    const term = { id: this.nextTermId++, name, slug: sanitizeTitle(name) };
    this.tags.set(term.id, term);
    return term;
  }

  /** A global attribute (pa_*); slug is its taxonomy name. */
  attribute(id: number): Term {
    let a = this.attributes.get(id);
    if (!a) {
      a = { id, name: `Attribute ${id}`, slug: `pa_attribute-${id}` };
      this.attributes.set(id, a);
    }
    return a;
  }

  attributeBySlug(slug: string): Term | undefined {
    for (const a of this.attributes.values()) if (a.slug === slug) return a;
    return undefined;
  }

  private findOrInvent(map: Map<number, Term>, id: number, label: string): Term {
    let term = map.get(id);
    if (!term) {
      term = { id, name: `${label} ${id}`, slug: `${label.toLowerCase()}-${id}` };
      map.set(id, term);
      if (id >= this.nextTermId) this.nextTermId = id + 1;
    }
    return term;
  }
}
