import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { MeDocument, signInPath, useSession, useSignOut } from "../../platform/session.tsx";
import { ROLE_LABELS } from "../workspaces/labels.ts";
import { describeInvitationError } from "./invitation-errors.ts";
import { AcceptInvitationDocument, InvitationPreviewDocument } from "./operations.ts";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

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
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useApolloClient();
  const token = params.get("token") ?? "";
  const here = `${location.pathname}${location.search}`;
  const session = useSession();
  const { signOut, signingOut } = useSignOut();
  const preview = useQuery(InvitationPreviewDocument, { variables: { token }, skip: token === "", fetchPolicy: "network-only" });
  const [accept, accepting] = useMutation(AcceptInvitationDocument);
  const [acceptError, setAcceptError] = useState<ReturnType<typeof describeInvitationError>>();

  if (token === "") {
    return (
      <p role="alert" data-error-code="NOT_FOUND">
        This link has no invitation token. Open the link from the invitation email exactly as it was sent.
      </p>
    );
  }
  if (preview.data === undefined) {
    if (preview.error !== undefined) {
      const problem = describeInvitationError(preview.error);
      return (
        <>
          <div className="banner banner--error" role="alert" data-error-code={problem.code} data-invitation-problem={problem.problem}>
            {problem.message}
          </div>
          <p>
            <Link to="/">Go to Atrium</Link>
          </p>
        </>
      );
    }
    return <p className="page-status">Loading the invitation…</p>;
  }

  const invitation = preview.data.invitation;
  const summary = (
    <div className="card invitation" data-testid="invitation-preview">
      <p className="invitation__headline">
        You are invited to join <strong>{invitation.workspaceName}</strong> as <strong>{ROLE_LABELS[invitation.role]}</strong>.
      </p>
      <dl className="details">
        <dt>Workspace</dt>
        <dd>{invitation.workspaceName}</dd>
        <dt>Role</dt>
        <dd>{ROLE_LABELS[invitation.role]}</dd>
        <dt>Invited address</dt>
        <dd data-testid="invited-email">{invitation.email}</dd>
        <dt>Valid until</dt>
        <dd>
          <time dateTime={invitation.expiresAt}>{dateTime.format(new Date(invitation.expiresAt))}</time>
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
    action = <p className="page-status">Checking your session…</p>;
  } else if (session.state === "error") {
    action = <ErrorBanner error={describeError(session.error)} />;
  } else if (session.state === "signed-in" && session.me.email.toLowerCase() === invitation.email.toLowerCase()) {
    action = (
      <div className="confirmation">
        <p>
          Signed in as <strong>{session.me.email}</strong>.
        </p>
        {acceptError !== undefined && (
          <div className="banner banner--error" role="alert" data-error-code={acceptError.code} data-invitation-problem={acceptError.problem}>
            {acceptError.message}
            {acceptError.problem === "ALREADY_MEMBER" && (
              <>
                {" "}
                <Link to={`/w/${invitation.workspaceSlug}`}>Open {invitation.workspaceName}</Link>
              </>
            )}
          </div>
        )}
        <button type="button" className="button button--primary" disabled={accepting.loading} onClick={() => void onAccept()}>
          {accepting.loading ? "Joining…" : "Accept invitation"}
        </button>
      </div>
    );
  } else if (session.state === "signed-in") {
    action = (
      <div className="confirmation" data-testid="invitation-other-account">
        <p role="alert">
          You are signed in as <strong>{session.me.email}</strong>, but this invitation is for <strong>{invitation.email}</strong>.
          Only that address can accept it. Sign out, then sign in (or create an account) with {invitation.email}.
        </p>
        <button
          type="button"
          className="button button--primary"
          disabled={signingOut}
          onClick={() => void signOut(`${signInPath(here)}&email=${encodeURIComponent(invitation.email)}`)}
        >
          Sign out
        </button>
      </div>
    );
  } else {
    action = (
      <div className="confirmation" data-testid="invitation-signed-out">
        <p>To accept, sign in with {invitation.email} — or create an account for it if you don&apos;t have one yet.</p>
        <div className="form__actions">
          <Link className="button button--primary" to={`${signInPath(here)}&email=${encodeURIComponent(invitation.email)}`}>
            Sign in to accept
          </Link>
          <Link className="button" to={signUpFromInvitationPath(token)}>
            Create an account
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
