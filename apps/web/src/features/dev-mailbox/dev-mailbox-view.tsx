import { useEffect, useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { formatTime } from "../../platform/format.ts";
import { Button, TextField } from "../../platform/ui/index.ts";
import { fetchDevMailbox, inAppPath, splitLinks, type DevMail } from "./dev-mailbox.ts";

type Load =
  | { readonly state: "idle" }
  | { readonly state: "loading" }
  | { readonly state: "unavailable" }
  | { readonly state: "failed" }
  | { readonly state: "loaded"; readonly mails: readonly DevMail[] };

function MailText({ text }: { text: string }) {
  return (
    <pre className="mail__text">
      {splitLinks(text).map((part, index) => {
        if (part.kind === "text") return part.text;
        const path = inAppPath(part.href, window.location);
        return path !== undefined ? (
          <Link key={index} to={path}>
            {part.href}
          </Link>
        ) : (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.href}
          </a>
        );
      })}
    </pre>
  );
}

const POLL_MS = 2000;

const sameMails = (a: readonly DevMail[], b: readonly DevMail[]) =>
  a.length === b.length && a.every((mail, i) => mail.createdAt === b[i]?.createdAt && mail.subject === b[i]?.subject);

/** /dev/mailbox-view?to= — reads the API's development mailbox so the sign-up flow works without SMTP. */
export function DevMailboxView() {
  const { t } = useTranslation("dev-mailbox");
  const [params, setParams] = useSearchParams();
  const to = params.get("to") ?? "";
  const [draft, setDraft] = useState(to);
  const [load, setLoad] = useState<Load>({ state: "idle" });
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    if (to === "") {
      setLoad({ state: "idle" });
      return;
    }
    const controller = new AbortController();
    setLoad({ state: "loading" });
    // Mail is sent by a job shortly after the action that caused it, so the list stays live:
    // it is read again every few seconds while the page is open (quietly, no loading state).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = (first: boolean) => {
      fetchDevMailbox(to, controller.signal)
        .then((mails) => {
          if (mails === undefined) return setLoad({ state: "unavailable" });
          setLoad((previous) =>
            previous.state === "loaded" && sameMails(previous.mails, mails) ? previous : { state: "loaded", mails },
          );
          timer = setTimeout(() => read(false), POLL_MS);
        })
        .catch(() => {
          if (controller.signal.aborted) return;
          if (first) setLoad({ state: "failed" });
          else timer = setTimeout(() => read(false), POLL_MS);
        });
    };
    read(true);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [to, reloads]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setParams({ to: draft.trim() });
  };

  return (
    <>
      <form className="form form--inline" onSubmit={onSubmit}>
        <TextField
          label={t("view.email")}
          type="email"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <div className="form__actions">
          <Button type="submit">{t("view.show")}</Button>
          {to !== "" && <Button onClick={() => setReloads((count) => count + 1)}>{t("view.refresh")}</Button>}
        </div>
      </form>

      {load.state === "loading" && <p className="page-status">{t("view.loading")}</p>}
      {load.state === "unavailable" && <p role="alert">{t("view.unavailable")}</p>}
      {load.state === "failed" && <p role="alert">{t("view.failed")}</p>}
      {load.state === "loaded" && load.mails.length === 0 && (
        <p className="empty-state" role="status">
          {t("view.empty", { to })}
        </p>
      )}
      {load.state === "loaded" && load.mails.length > 0 && (
        <ol className="mail-list" aria-label={t("view.list", { to })}>
          {load.mails.map((mail, index) => (
            <li key={`${mail.createdAt}-${index}`} className="mail" data-testid="dev-mail">
              <h2 className="mail__subject">{mail.subject}</h2>
              <p className="muted">
                <Trans
                  ns="dev-mailbox"
                  i18nKey="view.to"
                  values={{ to: mail.to, at: formatTime(mail.createdAt) }}
                  components={{ time: <time dateTime={mail.createdAt} /> }}
                />
              </p>
              <MailText text={mail.text} />
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
