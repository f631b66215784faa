import { createHmac } from 'node:crypto';

export type IdentifierKind = 'episode' | 'client' | 'clinician';

/**
 * Keyed pseudonyms: HMAC-SHA256 over the kind and the source id, as 64 hex characters. Without the
 * key nobody can test a guessed id against the warehouse; with the same key the same id always maps
 * to the same pseudonym, so loads are idempotent. The kind is mixed in so that an episode id and a
 * client id that happen to be spelled alike do not link.
 */
export function createPseudonymiser(key: string) {
  // Scores arrive grouped by episode: remembering the last id per kind skips most HMACs.
  const last: Record<IdentifierKind, { id: string; pseudonym: string } | null> = { episode: null, client: null, clinician: null };
  return function pseudonymise(kind: IdentifierKind, id: string): string {
    const remembered = last[kind];
    if (remembered && remembered.id === id) return remembered.pseudonym;
    const pseudonym = createHmac('sha256', key).update(`${kind}:${id}`).digest('hex');
    last[kind] = { id, pseudonym };
    return pseudonym;
  };
}

/** A fingerprint of the key, kept in the warehouse to refuse loads made with a different key. */
export function keyFingerprint(key: string): string {
  return createHmac('sha256', key).update('therapy-outcomes key fingerprint').digest('hex').slice(0, 16);
}
