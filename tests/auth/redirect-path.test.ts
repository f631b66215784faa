import { describe, expect, test } from 'vitest';
import { loader as loginLoader } from '../../app/routes/login';
import { safeRedirectPath } from '../../app/utils/auth.server';

/**
 * Where sign-in sends a person afterwards comes from the URL, so anyone can write it into a link.
 * Only a path on this site may pass; everything a browser could read as another site falls back
 * to "/". Browsers strip tabs and newlines from a URL and read "\" as "/", so "/\t/evil.example"
 * and "/\evil.example" both become "//evil.example": another host.
 */
describe('safeRedirectPath', () => {
  test.each([
    ['/\t/evil.example', 'a tab between the slashes'],
    ['/\n/evil.example', 'a newline between the slashes'],
    ['/\r\n/evil.example', 'CR LF between the slashes'],
    ['/\t/evil', 'the brief’s short form'],
    ['//evil.example', 'a protocol-relative URL'],
    ['//evil.example/x', 'a protocol-relative URL with a path'],
    ['/\\evil.example', 'a backslash, which browsers read as a slash'],
    ['\\\\evil.example', 'two backslashes'],
    ['/.//evil.example', 'a dot segment that leaves "//" once resolved'],
    ['https://evil.example', 'an absolute URL'],
    ['https://evil.example/', 'an absolute URL with a path'],
    ['http://internal.invalid/x', 'the base used for parsing, written out'],
    ['javascript:alert(1)', 'a script URL'],
    ['%2F%2Fevil.example', 'an encoded "//" not decoded'],
    ['evil.example', 'a relative path'],
    ['', 'nothing'],
    ['/ok\u0000', 'a NUL'],
    ['/ok\u007f', 'a DEL'],
  ])('refuses %j (%s)', (target) => {
    expect(safeRedirectPath(target)).toBe('/');
  });

  test('refuses what is not a string, and uses the fallback it is given', () => {
    expect(safeRedirectPath(null)).toBe('/');
    expect(safeRedirectPath(undefined)).toBe('/');
    expect(safeRedirectPath(['/trends'])).toBe('/');
    expect(safeRedirectPath('//evil.example', '/home')).toBe('/home');
  });

  test.each(['/', '/compare?modality=IPT', '/quality/episodes#x', '/trends?location=Loop&location=Evanston&x=1'])(
    'keeps %j intact',
    (target) => {
      expect(safeRedirectPath(target)).toBe(target);
    },
  );
});

describe('the sign-in page', () => {
  // URLSearchParams decodes the query first, so each of these reaches safeRedirectPath decoded.
  test.each([
    ['/login?redirectTo=/%09/evil.example', '/'],
    ['/login?redirectTo=%2F%2Fevil.example', '/'],
    ['/login?redirectTo=%2F%5Cevil.example', '/'],
    ['/login?redirectTo=/%0A/evil.example', '/'],
    ['/login?redirectTo=https%3A%2F%2Fevil.example', '/'],
    ['/login?redirectTo=%2Fcompare%3Fmodality%3DIPT', '/compare?modality=IPT'],
  ])('%s signs in towards %j', async (path, expected) => {
    // No session cookie, so the loader does not look anything up; it only reads the URL.
    const page = (await loginLoader({
      request: new Request(`http://localhost${path}`),
      context: { warehouse: undefined as never },
      params: {},
    })) as { redirectTo: string };
    expect(page.redirectTo).toBe(expected);
  });
});
