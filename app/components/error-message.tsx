import { isRouteErrorResponse, useLocation } from '@remix-run/react';

/**
 * What a person sees when a page cannot be shown: a plain explanation and a way to try again.
 * Never the error's message or stack: they can name servers, files and SQL, and the server logs
 * them already.
 */
export function ErrorMessage({ error }: { error: unknown }) {
  const location = useLocation();
  const retryHref = `${location.pathname}${location.search}`;
  const { title, explanation } = describe(error);
  return (
    <section className="error-message" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      <p>{explanation}</p>
      <p>
        {/* A full page load, so the server asks the warehouse again. */}
        <a href={retryHref}>Try again</a>
      </p>
    </section>
  );
}

function describe(error: unknown): { title: string; explanation: string } {
  if (isRouteErrorResponse(error)) {
    if (error.status === 503) {
      return {
        title: 'The warehouse is not answering',
        explanation:
          'The outcomes database could not be reached just now. Nothing is lost: try again in a moment, and if it keeps happening, ask whoever runs the database server to check it.',
      };
    }
    if (error.status === 403) {
      return {
        title: 'Not available to your role',
        explanation:
          'Your account does not give access to this page or to the locations asked for. If you need it, ask an administrator of this service.',
      };
    }
    if (error.status === 404) {
      return { title: 'Page not found', explanation: 'There is no page at this address.' };
    }
  }
  return {
    title: 'Something went wrong',
    explanation:
      'The page could not be shown. The error has been logged on the server. Try again, and if it keeps happening, tell the team that runs this service.',
  };
}
