/**
 * The two links of an e-mail change (issue 49): /confirm-email?token= (mailed to the new address;
 * makes the change) and /revert-email?token= (mailed to the old one; restores it within 7 days and
 * signs every device out). Each acts only when the person presses the button, never on load, so a
 * mail scanner that follows links spends nothing.
 */
import { useApolloClient, useMutation } from "@apollo/client/react";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { Page } from "../../platform/page.tsx";
import { FormActions } from "../../platform/ui/index.ts";
import { ConfirmEmailChangeDocument, RevertEmailChangeDocument } from "./operations.ts";

const INVALID_LINK = "This link is invalid, already used or expired.";

function useLinkAction(run: (token: string) => Promise<unknown>) {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [state, setState] = useState<"ready" | "busy" | "done">("ready");
  const [error, setError] = useState<UserFacingError>();
  const act = async () => {
    setState("busy");
    setError(undefined);
    try {
      await run(token);
      setState("done");
    } catch (caught) {
      const e = describeError(caught);
      setError(e.code === "BAD_USER_INPUT" && e.fields["token"] !== undefined ? { ...e, message: INVALID_LINK } : e);
      setState("ready");
    }
  };
  return { token, state, error, act };
}

const NO_TOKEN = <p role="alert">This link has no token. Open the link from the e-mail exactly as it was sent.</p>;

export function ConfirmEmailChangePage() {
  const client = useApolloClient();
  const [confirm] = useMutation(ConfirmEmailChangeDocument);
  const { token, state, error, act } = useLinkAction(async (t) => {
    await confirm({ variables: { token: t } });
    // The signed-in user's address changed: read `me` again.
    await client.refetchQueries({ include: "active" });
  });
  return (
    <Page title="Confirm your new e-mail address" narrow>
      {token === "" ? (
        NO_TOKEN
      ) : state === "done" ? (
        <div className="confirmation stack" role="status">
          <p>Your account now uses this address. Sign in with it from now on. We've told your previous address, which can undo the change for 7 days.</p>
          <Link className="button button--primary" to="/">
            Continue to Atrium
          </Link>
        </div>
      ) : (
        <form
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            void act();
          }}
        >
          <p>Confirm that your Atrium account should use this address from now on.</p>
          <ErrorBanner error={error} />
          <FormActions submitLabel="Use this address" pending={state === "busy"} pendingLabel="Confirming…" />
        </form>
      )}
    </Page>
  );
}

export function RevertEmailChangePage() {
  const client = useApolloClient();
  const [revert] = useMutation(RevertEmailChangeDocument);
  const { token, state, error, act } = useLinkAction(async (t) => {
    await revert({ variables: { token: t } });
    // Every session ended, this browser's too.
    await client.clearStore();
  });
  return (
    <Page title="Restore your e-mail address" narrow>
      {token === "" ? (
        NO_TOKEN
      ) : state === "done" ? (
        <div className="confirmation stack" role="status">
          <p>Your previous address is restored and every device was signed out.</p>
          <p>If you did not change the address yourself, someone may know your password: choose a new one now.</p>
          <div className="form__actions">
            <Link className="button button--primary" to="/forgot-password">
              Choose a new password
            </Link>
            <Link className="button" to="/signin">
              Sign in
            </Link>
          </div>
        </div>
      ) : (
        <form
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            void act();
          }}
        >
          <p>Undo the change of your account's e-mail address: this address will be used again, and every device signed in to the account will be signed out.</p>
          <ErrorBanner error={error} />
          <FormActions submitLabel="Restore my address" pending={state === "busy"} pendingLabel="Restoring…" variant="danger" />
        </form>
      )}
    </Page>
  );
}
