/**
 * Double-submit CSRF protection: the API sets a readable `atrium_csrf` cookie next to the
 * httpOnly session cookies and refuses cookie-authenticated requests whose `x-csrf-token`
 * header does not repeat it. A page on another origin can make the browser send the cookies
 * but cannot read this one, so it cannot forge the header.
 */
export const CSRF_COOKIE = "atrium_csrf";
export const CSRF_HEADER = "x-csrf-token";

export function readCookie(cookieHeader: string, name: string): string | undefined {
  for (const part of cookieHeader.split(";")) {
    const separator = part.indexOf("=");
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

export function csrfToken(): string | undefined {
  return readCookie(document.cookie, CSRF_COOKIE);
}

/** `fetch` that sends the session cookies of this origin and the CSRF header when there is one. */
export function sessionFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = csrfToken();
  if (token !== undefined && token !== "") headers.set(CSRF_HEADER, token);
  return fetch(input, { ...init, headers, credentials: "same-origin" });
}
