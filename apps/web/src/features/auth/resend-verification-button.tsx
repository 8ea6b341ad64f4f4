import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { Button } from "../../platform/ui/index.ts";
import { ResendVerificationEmailDocument } from "./operations.ts";

/** Sends a fresh verification link. The API answers the same whether or not the email exists. */
export function ResendVerificationButton({ email }: { email: string }) {
  const { t } = useTranslation("auth");
  const [resend, { loading }] = useMutation(ResendVerificationEmailDocument);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<UserFacingError>();

  const onClick = async () => {
    setError(undefined);
    setSent(false);
    try {
      await resend({ variables: { email } });
      setSent(true);
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  return (
    <div className="resend">
      <Button disabled={loading || email === ""} onClick={() => void onClick()}>
        {loading ? t("resend.sending") : t("resend.button")}
      </Button>
      {sent && <p role="status">{t("resend.sent", { email })}</p>}
      <ErrorBanner error={error} />
    </div>
  );
}
