import type { LinksFunction } from '@remix-run/node';
import {
  Links,
  LiveReload,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useNavigation,
  useRouteError,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import { SeriesPatterns } from '~/components/charts/series-style';
import { ErrorMessage } from '~/components/error-message';
import { SiteNav } from '~/components/site-nav';
import stylesheet from '~/styles/app.css';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  // No favicon yet: an empty one saves every page a request that would end in a 404.
  { rel: 'icon', href: 'data:,' },
];

/** The document around every page, and around the error page when a page fails. */
export function Layout({ children }: { children: ReactNode }) {
  // A bar at the top while the next view loads; the server-rendered figures stay until it arrives.
  const loading = useNavigation().state === 'loading';
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
          <SiteNav />
        </header>
        {loading ? <div className="loading-bar" role="progressbar" aria-label="Loading" /> : null}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>De-identified data only: pseudonymised ids, months not dates, age bands.</p>
        </footer>
        <SeriesPatterns />
        <ScrollRestoration />
        <Scripts />
        <LiveReload />
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
