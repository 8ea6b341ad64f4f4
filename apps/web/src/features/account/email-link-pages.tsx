/**
 * The two links of an e-mail change (issue 49): /confirm-email?token= (mailed to the new address;
 * makes the change) and /revert-email?token= (mailed to the old one; restores it within 7 days and
 * signs every device out). Each acts only when the person presses the button, never on load, so a
 * mail scanner that follows links spends nothing.
 */
import { useApolloClient, useMutation } from "@apollo/client/react";
import i18n from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { Page } from "../../platform/page.tsx";
import { FormActions } from "../../platform/ui/index.ts";
import { ConfirmEmailChangeDocument, RevertEmailChangeDocument } from "./operations.ts";

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
      setError(
        e.code === "BAD_USER_INPUT" && e.fields["token"] !== undefined
          ? { ...e, message: i18n.t("emailLinks.invalid", { ns: "account" }) }
          : e,
      );
      setState("ready");
    }
  };
  return { token, state, error, act };
}

function NoToken() {
  const { t } = useTranslation("account");
  return <p role="alert">{t("emailLinks.noToken")}</p>;
}

export function ConfirmEmailChangePage() {
  const { t } = useTranslation("account");
  const client = useApolloClient();
  const [confirm] = useMutation(ConfirmEmailChangeDocument);
  const { token, state, error, act } = useLinkAction(async (linkToken) => {
    await confirm({ variables: { token: linkToken } });
    // The signed-in user's address changed: read `me` again.
    await client.refetchQueries({ include: "active" });
  });
  return (
    <Page title={t("emailLinks.confirmTitle")} narrow>
      {token === "" ? (
        <NoToken />
      ) : state === "done" ? (
        <div className="confirmation stack" role="status">
          <p>{t("emailLinks.confirmed")}</p>
          <Link className="button button--primary" to="/">
            {t("continue")}
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
          <p>{t("emailLinks.confirmIntro")}</p>
          <ErrorBanner error={error} />
          <FormActions
            submitLabel={t("emailLinks.confirmSubmit")}
            pending={state === "busy"}
            pendingLabel={t("emailLinks.confirmPending")}
          />
        </form>
      )}
    </Page>
  );
}

export function RevertEmailChangePage() {
  const { t } = useTranslation("account");
  const client = useApolloClient();
  const [revert] = useMutation(RevertEmailChangeDocument);
  const { token, state, error, act } = useLinkAction(async (linkToken) => {
    await revert({ variables: { token: linkToken } });
    // Every session ended, this browser's too.
    await client.clearStore();
  });
  return (
    <Page title={t("emailLinks.revertTitle")} narrow>
      {token === "" ? (
        <NoToken />
      ) : state === "done" ? (
        <div className="confirmation stack" role="status">
          <p>{t("emailLinks.reverted")}</p>
          <p>{t("emailLinks.notYou")}</p>
          <div className="form__actions">
            <Link className="button button--primary" to="/forgot-password">
              {t("emailLinks.choosePassword")}
            </Link>
            <Link className="button" to="/signin">
              {t("signIn")}
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
          <p>{t("emailLinks.revertIntro")}</p>
          <ErrorBanner error={error} />
          <FormActions
            submitLabel={t("emailLinks.revertSubmit")}
            pending={state === "busy"}
            pendingLabel={t("emailLinks.revertPending")}
            variant="danger"
          />
        </form>
      )}
    </Page>
  );
}
