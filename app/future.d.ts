/**
 * Types for the future flags in remix.config.js: with single fetch, loader data reaches the
 * component with its real types (a Date stays a Date) instead of JSON-serialised ones.
 */
import '@remix-run/node';

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}
