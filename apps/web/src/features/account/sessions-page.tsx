/**
 * Account → Sessions (S2): every signed-in device; end one, end the others, or sign out
 * everywhere. The labels say which session a button ends ("End this session" here, "End session"
 * on another device's row) so none reads like the user menu's plain "Sign out" (issue 56).
 */
import { useMutation, useQuery } from "@apollo/client/react";
import i18n from "i18next";
import { useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";

import { graphql } from "../../gql/gql.ts";
import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { formatTime } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Page } from "../../platform/page.tsx";
import { useSignOut } from "../../platform/session.tsx";
import { Button, ConfirmDialog, SkeletonList } from "../../platform/ui/index.ts";
import { RevokeSessionDocument, SessionsDocument } from "./operations.ts";

const SignOutEverywhereDocument = graphql(`
  mutation SignOutEverywhere {
    signOutEverywhere
  }
`);

/** A readable device name from a user agent ("Chrome on Linux", in the page's language); the raw string stays in the title. */
export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent) return i18n.t("sessions.unknownDevice", { ns: "account" });
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrome\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : null;
  const os = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Windows/.test(userAgent)
        ? "Windows"
        : /Mac OS X/.test(userAgent)
          ? "macOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  if (browser && os) return i18n.t("sessions.device", { ns: "account", browser, os });
  return browser ?? os ?? userAgent.slice(0, 60);
}

export function SessionsPage() {
  const { t } = useTranslation("account");
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
    <Page title={t("sessions.title")} narrow>
      <p>
        <Trans ns="account" i18nKey="sessions.intro" components={{ anchor: <Link to="/account/security" /> }} />
      </p>
      <ErrorBanner error={problem} />
      {error !== undefined && data === undefined && <LoadError error={error} onRetry={() => void refetch()} />}
      {loading && data === undefined && <SkeletonList label={t("sessions.loading")} rows={3} />}
      {data !== undefined && (
        <ul className="list" data-testid="sessions-list">
          {sessions.map((s) => (
            <li key={s.id} className="list__row" data-testid="session-row">
              <span>
                <strong title={s.userAgent ?? undefined}>{describeDevice(s.userAgent)}</strong>
                {s.current && <span className="badge"> {t("sessions.thisDevice")}</span>}
                <br />
                <span className="muted">
                  {t("sessions.details", {
                    ip: s.ip ?? t("sessions.unknownIp"),
                    createdAt: formatTime(s.createdAt),
                    lastSeenAt: formatTime(s.lastSeenAt),
                  })}
                </span>
              </span>
              <Button
                size="small"
                aria-label={s.current ? undefined : t("sessions.endOn", { device: describeDevice(s.userAgent) })}
                onClick={() => void endOne(s.id, s.current)}
              >
                {s.current ? t("sessions.endThis") : t("sessions.end")}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="form__actions">
        {others.length > 0 && (
          <Button disabled={endingOthers} onClick={() => void endOthers()}>
            {endingOthers ? t("sessions.endingOthers") : t("sessions.endOthers")}
          </Button>
        )}
        <Button variant="danger" onClick={() => setConfirming(true)}>
          {t("sessions.everywhere")}
        </Button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={t("sessions.everywhereTitle")}
          confirmLabel={t("sessions.everywhere")}
          danger
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await everywhere();
            await signOut();
          }}
        >
          <p>{t("sessions.everywhereText")}</p>
        </ConfirmDialog>
      )}
    </Page>
  );
}
