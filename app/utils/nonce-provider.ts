import { createContext, useContext } from 'react';

/**
 * The Content-Security-Policy nonce of this response (app/server/serve.ts), handed from
 * entry.server.tsx to the document so Remix's inline scripts carry it. In the browser it is empty:
 * browsers hide nonces from the page, and hydration does not need them.
 */
const NonceContext = createContext('');

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
