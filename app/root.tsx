import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  Links,
  LiveReload,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useNavigation,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import { type ReactNode, useEffect } from 'react';
import { SeriesPatterns } from '~/components/charts/series-style';
import { ErrorMessage } from '~/components/error-message';
import { PrintedOn } from '~/components/printed-on';
import { SignedInAs } from '~/components/signed-in-as';
import { SiteNav } from '~/components/site-nav';
import stylesheet from '~/styles/app.css';
import authStylesheet from '~/styles/auth.css';
import { requireSignedInVisitor } from '~/utils/root-visitor.server';
import { useFocusOnNewPage } from '~/utils/use-focus-on-new-page';
import { useNonce } from '~/utils/nonce-provider';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'stylesheet', href: authStylesheet },
  // No favicon yet: an empty one saves every page a request that would end in a 404.
  { rel: 'icon', href: 'data:,' },
];

/**
 * Every page but sign-in needs a session (a backstop for routes without a loader of their own);
 * the header shows who is signed in. Resource routes (API, CSV) check their own.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return { visitor: await requireSignedInVisitor(request, context) };
}

// Pages set their own titles; this one shows when the root itself failed (the warehouse is down).
export const meta: MetaFunction = ({ error }) => [
  { title: error ? 'Something went wrong · Therapy outcomes' : 'Therapy outcomes' },
];

// A loader that throws (the warehouse is down) keeps its headers, such as Retry-After, on the page.
export const headers: HeadersFunction = ({ errorHeaders }) => errorHeaders ?? new Headers();

/** The document around every page, and around the error page when a page fails. */
export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  // Absent when the root loader itself failed (the warehouse is down): the header then shows no one.
  const visitor = useRouteLoaderData<typeof loader>('root')?.visitor ?? null;
  // A bar at the top while the next view loads; the server-rendered figures stay until it arrives.
  const loading = useNavigation().state === 'loading';
  useFocusOnNewPage();
  // Set once React has hydrated the whole page (a parent's effect runs after its children's):
  // until then a click lands on server-rendered HTML with no handler. Browser tests wait for it.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <p className="site-name">
            <a href="/">Therapy outcomes</a>
          </p>
          {visitor ? <SiteNav role={visitor.role} /> : null}
          {visitor ? <SignedInAs visitor={visitor} /> : null}
          <PrintedOn />
        </header>
        {loading ? <div className="loading-bar" role="progressbar" aria-label="Loading" /> : null}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>De-identified data only: pseudonymised ids, months not dates, age bands.</p>
        </footer>
        <SeriesPatterns />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        <LiveReload nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
