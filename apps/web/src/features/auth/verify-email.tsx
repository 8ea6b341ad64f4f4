import { useMutation } from "@apollo/client/react";
import { useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { VerifyEmailDocument } from "./operations.ts";

const VERIFY_MESSAGES = {
  BAD_USER_INPUT: "This verification link is invalid or has expired. Sign in to request a new one.",
  NOT_FOUND: "This verification link is invalid or has expired. Sign in to request a new one.",
} as const;

/** /verify-email?token= — spends the token once (tokens are single-use, so never twice). */
export function VerifyEmail() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [verifyEmail] = useMutation(VerifyEmailDocument);
  const [state, setState] = useState<"pending" | "verified" | "failed">("pending");
  const [error, setError] = useState<UserFacingError>();
  // Strict Mode runs effects twice in development; the ref survives that, so the token is sent once.
  const sentFor = useRef<string>(undefined);

  useEffect(() => {
    if (token === "" || sentFor.current === token) return;
    sentFor.current = token;
    verifyEmail({ variables: { token } })
      .then(({ data }) => {
        if (data?.verifyEmail === true) {
          setState("verified");
        } else {
          setState("failed");
          setError({ code: "BAD_USER_INPUT", message: VERIFY_MESSAGES.BAD_USER_INPUT, fields: {} });
        }
      })
      .catch((caught: unknown) => {
        setState("failed");
        setError(describeError(caught, VERIFY_MESSAGES));
      });
  }, [token, verifyEmail]);

  if (token === "") {
    return <p role="alert">This link has no verification token. Open the link from the email exactly as it was sent.</p>;
  }
  if (state === "pending") return <p className="page-status">Verifying your email address…</p>;
  if (state === "verified") {
    return (
      <div className="confirmation" role="status">
        <p>Your email address is verified.</p>
        <Link className="button button--primary" to="/signin">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <>
      <ErrorBanner error={error} />
      <p>
        <Link to="/signin">Go to sign in</Link>
      </p>
    </>
  );
}
