import { monotonicFactory } from 'ulid';

/** Prefixed, sortable ids: `scr_01J...`. The prefix says what an id names; ULID order is creation order. */
export type IdPrefix = 'org' | 'usr' | 'tok' | 'cand' | 'sub' | 'scr' | 'evt';

const nextUlid = monotonicFactory();

export const newId = <P extends IdPrefix>(prefix: P): `${P}_${string}` => `${prefix}_${nextUlid()}`;

const idPattern = /^[a-z]{3,4}_[0-9A-HJKMNP-TV-Z]{26}$/;

export const isId = (prefix: IdPrefix, value: string): boolean =>
  value.startsWith(`${prefix}_`) && idPattern.test(value);
