// Plausible customers for seeded orders: names, addresses (US, RO, DE, FR, GB), emails, phones.
import { type Address, BILLING_KEYS, SHIPPING_KEYS, emptyAddress } from './order-model';
import type { Prng } from './prng';

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Maria', 'Ion', 'Elena', 'Andrei', 'Sofia', 'Lukas', 'Emma', 'Noah', 'Olivia', 'Mihai', 'Ioana', 'Hannah', 'Lea', 'Louis', 'Chloe', 'George', 'Amelia', 'Radu', 'Ana', 'Felix'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Popescu', 'Ionescu', 'Muller', 'Schmidt', 'Dubois', 'Martin', 'Smith', 'Jones', 'Brown', 'Stan', 'Dumitru', 'Weber', 'Fischer', 'Bernard', 'Taylor', 'Wilson', 'Georgescu'];
const STREETS = ['Main St', 'Oak Avenue', 'Strada Florilor', 'Bulevardul Unirii', 'Hauptstrasse', 'Rue de la Paix', 'High Street', 'Calea Victoriei', 'Bahnhofstrasse', 'Elm Road'];

interface Place {
  country: string;
  city: string;
  state: string;
  postcode: () => string;
  phone: () => string;
}

function places(rng: Prng): Place[] {
  const digits = (n: number): string => String(rng.int(0, 10 ** n - 1)).padStart(n, '0');
  return [
    { country: 'US', city: 'San Francisco', state: 'CA', postcode: () => `941${digits(2)}`, phone: () => `555-${digits(4)}` },
    { country: 'US', city: 'Austin', state: 'TX', postcode: () => `787${digits(2)}`, phone: () => `512-555-${digits(4)}` },
    { country: 'RO', city: 'Bucuresti', state: 'B', postcode: () => `0${digits(5)}`, phone: () => `07${digits(8)}` },
    { country: 'RO', city: 'Cluj-Napoca', state: 'CJ', postcode: () => `400${digits(3)}`, phone: () => `07${digits(8)}` },
    { country: 'DE', city: 'Berlin', state: '', postcode: () => `10${digits(3)}`, phone: () => `+49 30 ${digits(7)}` },
    { country: 'FR', city: 'Paris', state: '', postcode: () => `750${digits(2)}`, phone: () => `+33 1 ${digits(8)}` },
    { country: 'GB', city: 'London', state: '', postcode: () => `SW1A ${rng.int(1, 9)}AA`, phone: () => `+44 20 ${digits(8)}` },
  ];
}

export interface SeedCustomer {
  id: number;
  billing: Address;
  shipping: Address;
}

/** `n` customers; about a third are guests (customer_id 0). */
export function seedCustomers(rng: Prng, n: number): SeedCustomer[] {
  const where = places(rng);
  const out: SeedCustomer[] = [];
  for (let i = 0; i < n; i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const place = rng.pick(where);
    const billing = emptyAddress(BILLING_KEYS);
    Object.assign(billing, {
      first_name: first,
      last_name: last,
      company: rng.next() < 0.15 ? `${last} SRL` : '',
      address_1: `${rng.int(1, 250)} ${rng.pick(STREETS)}`,
      address_2: rng.next() < 0.2 ? `Apt ${rng.int(1, 40)}` : '',
      city: place.city,
      state: place.state,
      postcode: place.postcode(),
      country: place.country,
      email: `${first}.${last}${i}@example.com`.toLowerCase(),
      phone: place.phone(),
    });
    const shipping = emptyAddress(SHIPPING_KEYS);
    for (const k of SHIPPING_KEYS) if (k !== 'phone') shipping[k] = billing[k] ?? '';
    out.push({ id: rng.next() < 0.35 ? 0 : 2 + i, billing, shipping });
  }
  return out;
}

export const PAYMENT_METHODS: Array<[string, string]> = [
  ['bacs', 'Direct bank transfer'],
  ['cod', 'Cash on delivery'],
  ['stripe', 'Credit Card (Stripe)'],
  ['ppcp-gateway', 'PayPal'],
];

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
];
