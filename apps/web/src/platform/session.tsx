/**
 * Who is signed in. Pages under <RequireSession> can rely on a user; everything else is
 * public. The session lives in httpOnly cookies the app cannot see, so "signed in" is simply
 * "`me` returns a user".
 */
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router";

import { graphql } from "../gql/gql.ts";
import { type MeQuery } from "../gql/graphql.ts";
import { applyAccountLanguage } from "../i18n/index.ts";
import { refreshSession } from "./apollo.ts";
import { csrfToken } from "./csrf.ts";
import { describeError, errorCode } from "./errors.ts";
import { PublicFrame } from "./public-frame.tsx";
import { type SessionEndReason } from "./session-end.ts";
import { applyAccountTheme } from "./theme-state.ts";
import { Button } from "./ui/button.tsx";

export const MeDocument = graphql(`
  query Me {
    me {
      id
      email
      name
      globalRole
      preferences {
        theme
        locale
      }
      memberships {
        role
        workspace {
          ...WorkspaceSummaryFields
        }
      }
    }
  }
`);

const SignOutDocument = graphql(`
  mutation SignOut {
    signOut
  }
`);

export type SignedInUser = NonNullable<MeQuery["me"]>;

/** The signed-in user; only valid below <RequireSession>, which does not render before `me` loads. */
export function useMe(): SignedInUser {
  const { data } = useQuery(MeDocument, { fetchPolicy: "cache-first" });
  if (data?.me == null) throw new Error("useMe() used outside <RequireSession>");
  return data.me;
}

/** Where sign-in should return to: only paths on this origin. */
export function safeNextPath(next: string | null): string {
  if (next === null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}

/** /signin, returning to `next` afterwards; `reason` makes the page say why the session ended. */
export function signInPath(next: string, reason?: SessionEndReason): string {
  const params = new URLSearchParams();
  if (next !== "/") params.set("next", next);
  if (reason !== undefined) params.set("reason", reason);
  const query = params.toString();
  return query === "" ? "/signin" : `/signin?${query}`;
}

export type SessionState =
  | { readonly state: "loading" }
  | { readonly state: "error"; readonly error: unknown; readonly retry: () => void }
  | { readonly state: "signed-out" }
  | { readonly state: "signed-in"; readonly me: SignedInUser };

/**
 * Who is signed in, for pages that work both ways. `me` is null (not an error) for a request
 * whose access cookie has expired; when the browser still holds a session (the CSRF cookie),
 * the refresh cookie is tried once before the user counts as signed out.
 */
export function useSession(): SessionState {
  const { data, loading, error, refetch } = useQuery(MeDocument);
  const [refresh, setRefresh] = useState<"idle" | "pending" | "done">("idle");
  const noUser = !loading && error === undefined && data?.me == null;
  const canRefresh = noUser && refresh === "idle" && csrfToken() !== undefined;
  // The account's theme (decision 0040), whenever `me` arrives or changes: it follows the person.
  const accountTheme = data?.me?.preferences?.theme;
  useEffect(() => applyAccountTheme(accountTheme), [accountTheme]);
  // And its language (decision 0045): `locale`, null for the browser's.
  const accountLocale = data?.me == null ? undefined : (data.me.preferences?.locale ?? null);
  useEffect(() => applyAccountLanguage(accountLocale), [accountLocale]);

  useEffect(() => {
    if (!canRefresh) return;
    setRefresh("pending");
    void refreshSession()
      .then((refreshed) => (refreshed ? refetch() : undefined))
      .finally(() => setRefresh("done"));
  }, [canRefresh, refetch]);

  // A refetch of `me` (e.g. after joining or leaving a workspace) keeps the page mounted.
  if ((loading && data === undefined) || canRefresh || refresh === "pending") return { state: "loading" };
  if (error !== undefined) {
    if (errorCode(error) === "UNAUTHENTICATED") return { state: "signed-out" };
    return { state: "error", error, retry: () => void refetch() };
  }
  if (data?.me == null) return { state: "signed-out" };
  return { state: "signed-in", me: data.me };
}

export function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useTranslation("common");
  const location = useLocation();
  const session = useSession();
  const here = `${location.pathname}${location.search}`;
  if (session.state === "loading") {
    // Every state of a page has a document title, the wait too (index.html has none of its own).
    return (
      <>
        <title>{t("session.loadingTitle")}</title>
        <p className="page-status">{t("session.loading")}</p>
      </>
    );
  }
  if (session.state === "error") {
    return (
      // Before any page of the app could load: the same frame as the public pages, so the state
      // reads as the product's own page rather than a bare line of text.
      <>
        <title>{t("session.errorTitle")}</title>
        <PublicFrame>
          <section
            className="page--narrow confirmation connection-error"
            role="alert"
            aria-labelledby="connection-error-title"
          >
            <h1 id="connection-error-title">{t("session.errorHeading")}</h1>
            <p>{describeError(session.error).message}</p>
            <Button variant="primary" onClick={session.retry}>
              {t("actions.tryAgain")}
            </Button>
          </section>
        </PublicFrame>
      </>
    );
  }
  if (session.state === "signed-out") return <Navigate to={signInPath(here)} replace />;
  return children;
}

/**
 * Signs out (ending the session on the server), forgets every cached result, goes to sign in —
 * or to `then` (e.g. back to an invitation, to accept it with another account).
 */
export function useSignOut(): { signOut: (then?: string) => Promise<void>; signingOut: boolean } {
  const client = useApolloClient();
  const navigate = useNavigate();
  const [mutate, { loading }] = useMutation(SignOutDocument);
  const signOut = async (then = "/signin") => {
    try {
      await mutate();
    } catch {
      // Already signed out (or the server is unreachable): the local session ends regardless.
    }
    await client.clearStore();
    void navigate(then, { replace: true });
  };
  return { signOut, signingOut: loading };
}
