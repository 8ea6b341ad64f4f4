import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";

import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { formatTime } from "../../platform/format.ts";
import { MeDocument, signInPath, useSession, useSignOut } from "../../platform/session.tsx";
import { Button } from "../../platform/ui/index.ts";
import { describeInvitationError } from "./invitation-errors.ts";
import { AcceptInvitationDocument, InvitationPreviewDocument } from "./operations.ts";

export function acceptInvitationPath(token: string): string {
  return `/invitations/accept?token=${encodeURIComponent(token)}`;
}

export function signUpFromInvitationPath(token: string): string {
  return `/signup?invitation=${encodeURIComponent(token)}`;
}

/**
 * /invitations/accept?token= (SPEC M4): what the invitation is for, then — depending on who is
 * signed in — accept it, switch account, or sign in / create an account and come back here.
 */
export function AcceptInvitation() {
  const { t } = useTranslation("invitations");
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useApolloClient();
  const token = params.get("token") ?? "";
  const here = `${location.pathname}${location.search}`;
  const session = useSession();
  const { signOut, signingOut } = useSignOut();
  const preview = useQuery(InvitationPreviewDocument, {
    variables: { token },
    skip: token === "",
    fetchPolicy: "network-only",
  });
  const [accept, accepting] = useMutation(AcceptInvitationDocument);
  const [acceptError, setAcceptError] = useState<ReturnType<typeof describeInvitationError>>();

  if (token === "") {
    return (
      <p role="alert" data-error-code="NOT_FOUND">
        {t("accept.noToken")}
      </p>
    );
  }
  if (preview.data === undefined) {
    if (preview.error !== undefined) {
      const problem = describeInvitationError(preview.error);
      return (
        <>
          <div
            className="banner banner--error"
            role="alert"
            data-error-code={problem.code}
            data-invitation-problem={problem.problem}
          >
            {problem.message}
          </div>
          <p>
            <Link to="/">{t("accept.goToAtrium")}</Link>
          </p>
        </>
      );
    }
    return <p className="page-status">{t("accept.loading")}</p>;
  }

  const invitation = preview.data.invitation;
  const role = t(`roles.${invitation.role}`, { ns: "workspaces" });
  const summary = (
    <div className="card invitation" data-testid="invitation-preview">
      <p className="invitation__headline">
        <Trans
          ns="invitations"
          i18nKey="accept.headline"
          values={{ workspace: invitation.workspaceName, role }}
          components={{ strong: <strong /> }}
        />
      </p>
      <dl className="details">
        <dt>{t("accept.workspace")}</dt>
        <dd>{invitation.workspaceName}</dd>
        <dt>{t("accept.role")}</dt>
        <dd>{role}</dd>
        <dt>{t("accept.invitedAddress")}</dt>
        <dd data-testid="invited-email">{invitation.email}</dd>
        <dt>{t("accept.validUntil")}</dt>
        <dd>
          <time dateTime={invitation.expiresAt}>{formatTime(invitation.expiresAt)}</time>
        </dd>
      </dl>
    </div>
  );

  const onAccept = async () => {
    setAcceptError(undefined);
    try {
      const { data } = await accept({ variables: { token } });
      if (data === undefined) return;
      await client.refetchQueries({ include: [MeDocument] });
      void navigate(`/w/${data.acceptInvitation.slug}`, { replace: true });
    } catch (caught) {
      setAcceptError(describeInvitationError(caught));
    }
  };

  let action;
  if (session.state === "loading") {
    action = <p className="page-status">{t("accept.checkingSession")}</p>;
  } else if (session.state === "error") {
    action = <ErrorBanner error={describeError(session.error)} />;
  } else if (session.state === "signed-in" && session.me.email.toLowerCase() === invitation.email.toLowerCase()) {
    action = (
      <div className="confirmation">
        <p>
          <Trans
            ns="invitations"
            i18nKey="accept.signedInAs"
            values={{ email: session.me.email }}
            components={{ strong: <strong /> }}
          />
        </p>
        {acceptError !== undefined && (
          <div
            className="banner banner--error"
            role="alert"
            data-error-code={acceptError.code}
            data-invitation-problem={acceptError.problem}
          >
            {acceptError.message}
            {acceptError.problem === "ALREADY_MEMBER" && (
              <>
                {" "}
                <Link to={`/w/${invitation.workspaceSlug}`}>
                  {t("accept.openWorkspace", { workspace: invitation.workspaceName })}
                </Link>
              </>
            )}
          </div>
        )}
        <Button variant="primary" disabled={accepting.loading} onClick={() => void onAccept()}>
          {accepting.loading ? t("accept.joining") : t("accept.accept")}
        </Button>
      </div>
    );
  } else if (session.state === "signed-in") {
    action = (
      <div className="confirmation" data-testid="invitation-other-account">
        <p role="alert">
          <Trans
            ns="invitations"
            i18nKey="accept.otherAccount"
            values={{ email: session.me.email, invited: invitation.email }}
            components={{ strong: <strong /> }}
          />
        </p>
        <Button
          variant="primary"
          disabled={signingOut}
          onClick={() => void signOut(`${signInPath(here)}&email=${encodeURIComponent(invitation.email)}`)}
        >
          {t("accept.signOut")}
        </Button>
      </div>
    );
  } else {
    action = (
      <div className="confirmation" data-testid="invitation-signed-out">
        <p>{t("accept.signedOut", { email: invitation.email })}</p>
        <div className="form__actions">
          <Link
            className="button button--primary"
            to={`${signInPath(here)}&email=${encodeURIComponent(invitation.email)}`}
          >
            {t("accept.signInToAccept")}
          </Link>
          <Link className="button" to={signUpFromInvitationPath(token)}>
            {t("accept.createAccount")}
          </Link>
        </div>
      </div>
    );
  }

  return (
    <>
      {summary}
      {action}
    </>
  );
}
