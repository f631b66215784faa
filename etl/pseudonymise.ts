import { createHmac, createSecretKey } from 'node:crypto';

export type IdentifierKind = 'episode' | 'client' | 'clinician';

/**
 * Keyed pseudonyms: HMAC-SHA256 over the kind and the source id, as 64 hex characters. Without the
 * key nobody can test a guessed id against the warehouse; with the same key the same id always maps
 * to the same pseudonym, so loads are idempotent. The kind is mixed in so that an episode id and a
 * client id that happen to be spelled alike do not link.
 */
export function createPseudonymiser(key: string) {
  // A KeyObject rather than the string: the key is not converted again for every HMAC, which took a
  // third of each one's cost (a million episodes take two million HMACs).
  const secret = createSecretKey(Buffer.from(key, 'utf8'));
  // Scores arrive grouped by episode and a clinic has few clinicians: a small cache per kind skips
  // most HMACs (each costs several microseconds). Bounded: a kind with many distinct ids (clients)
  // only churns it.
  const cache: Record<IdentifierKind, Map<string, string>> = {
    episode: new Map(),
    client: new Map(),
    clinician: new Map(),
  };
  return function pseudonymise(kind: IdentifierKind, id: string): string {
    const remembered = cache[kind].get(id);
    if (remembered !== undefined) return remembered;
    const pseudonym = createHmac('sha256', secret).update(`${kind}:${id}`).digest('hex');
    if (cache[kind].size >= PSEUDONYM_CACHE_SIZE) cache[kind].clear();
    cache[kind].set(id, pseudonym);
    return pseudonym;
  };
}

const PSEUDONYM_CACHE_SIZE = 10_000;

/** A fingerprint of the key, kept in the warehouse to refuse loads made with a different key. */
export function keyFingerprint(key: string): string {
  return createHmac('sha256', key).update('therapy-outcomes key fingerprint').digest('hex').slice(0, 16);
}
