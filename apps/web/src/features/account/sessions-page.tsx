/**
 * Account → Sessions (S2): every signed-in device; end one, end the others, or sign out
 * everywhere. The labels say which session a button ends ("End this session" here, "End session"
 * on another device's row) so none reads like the user menu's plain "Sign out" (issue 56).
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { ConfirmDialog, SkeletonList } from "../../platform/ui/index.ts";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { formatTime } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Page } from "../../platform/page.tsx";
import { useSignOut } from "../../platform/session.tsx";
import { graphql } from "../../gql/gql.ts";
import { RevokeSessionDocument, SessionsDocument } from "./operations.ts";

const SignOutEverywhereDocument = graphql(`
  mutation SignOutEverywhere {
    signOutEverywhere
  }
`);

/** A readable device name from a user agent ("Chrome on Linux"); the raw string stays in the title. */
export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown device";
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Firefox\//.test(userAgent) ? "Firefox" : /Chrome\//.test(userAgent) ? "Chrome" : /Safari\//.test(userAgent) ? "Safari" : null;
  const os = /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Windows/.test(userAgent) ? "Windows" : /Mac OS X/.test(userAgent) ? "macOS" : /Linux/.test(userAgent) ? "Linux" : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? userAgent.slice(0, 60);
}

export function SessionsPage() {
  const { data, loading, error, refetch } = useQuery(SessionsDocument, { fetchPolicy: "cache-and-network" });
  // Sessions have no live feed: read them again when the user comes back to the page (another
  // device signing in or out shows up then), never on a timer.
  useEffect(() => {
    const reread = () => {
      if (document.visibilityState === "visible") void refetch().catch(() => undefined);
    };
    document.addEventListener("visibilitychange", reread);
    window.addEventListener("focus", reread);
    return () => {
      document.removeEventListener("visibilitychange", reread);
      window.removeEventListener("focus", reread);
    };
  }, [refetch]);
  const [revoke] = useMutation(RevokeSessionDocument, { refetchQueries: [SessionsDocument] });
  const [everywhere] = useMutation(SignOutEverywhereDocument);
  const { signOut } = useSignOut();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<UserFacingError | undefined>(undefined);
  const sessions = data?.sessions ?? [];
  const others = sessions.filter((s) => !s.current);
  const [endingOthers, setEndingOthers] = useState(false);

  const endOthers = async () => {
    setProblem(undefined);
    setEndingOthers(true);
    try {
      for (const s of others) await revoke({ variables: { id: s.id } });
    } catch (caught) {
      setProblem(describeError(caught));
    } finally {
      setEndingOthers(false);
    }
  };

  const endOne = async (id: string, current: boolean) => {
    setProblem(undefined);
    try {
      if (current) {
        await signOut();
        return;
      }
      await revoke({ variables: { id } });
    } catch (caught) {
      setProblem(describeError(caught));
    }
  };

  return (
    <Page title="Your sessions" narrow>
      <p>
        Every device signed in to your account. End any session you don't recognise. <Link to="/account/security">Account security →</Link>
      </p>
      <ErrorBanner error={problem} />
      {error !== undefined && data === undefined && <LoadError error={error} onRetry={() => void refetch()} />}
      {loading && data === undefined && <SkeletonList label="Loading sessions…" rows={3} />}
      {data !== undefined && (
        <ul className="list" data-testid="sessions-list">
          {sessions.map((s) => (
            <li key={s.id} className="list__row" data-testid="session-row">
              <span>
                <strong title={s.userAgent ?? undefined}>{describeDevice(s.userAgent)}</strong>
                {s.current && <span className="badge"> This device</span>}
                <br />
                <span className="muted">
                  {s.ip ?? "unknown IP"} · signed in {formatTime(s.createdAt)} · last seen {formatTime(s.lastSeenAt)}
                </span>
              </span>
              <button
                type="button"
                className="button button--small"
                aria-label={s.current ? undefined : `End session on ${describeDevice(s.userAgent)}`}
                onClick={() => void endOne(s.id, s.current)}
              >
                {s.current ? "End this session" : "End session"}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="form__actions">
        {others.length > 0 && (
          <button type="button" className="button" disabled={endingOthers} onClick={() => void endOthers()}>
            {endingOthers ? "Ending other sessions…" : "End all other sessions"}
          </button>
        )}
        <button type="button" className="button button--danger" onClick={() => setConfirming(true)}>
          Sign out everywhere
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          title="Sign out everywhere?"
          confirmLabel="Sign out everywhere"
          danger
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await everywhere();
            await signOut();
          }}
        >
          <p>Every device, this one included, will have to sign in again.</p>
        </ConfirmDialog>
      )}
    </Page>
  );
}
