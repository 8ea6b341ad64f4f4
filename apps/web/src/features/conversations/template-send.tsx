/**
 * WhatsApp's rules in the console's reply panel (issue 56): free text only within 24 hours of the
 * contact's last message — after that, an approved template (Settings → WhatsApp templates) — and
 * nothing at all to a contact who replied STOP. `WhatsAppReplyGate` wraps the free-text reply
 * form and shows it only while the window is open; the API refuses the same cases with
 * BAD_USER_INPUT reasons WHATSAPP_WINDOW_CLOSED and CONTACT_OPTED_OUT.
 */
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useState, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useInRouterContext, useParams } from "react-router";

import { insideWhatsAppWindow, renderWhatsAppTemplate, templateVariables } from "@atrium/validation";

import { type ConversationMode } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError, errorCode, errorReason, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { formatTime } from "../../platform/format.ts";
import { FormActions, Select } from "../../platform/ui/index.ts";
import { MessageTemplatesDocument, SendTemplateMessageDocument } from "../settings/template-operations.ts";
import { refusalOverrides } from "./refusals.ts";
import { type ConsoleConversation } from "./use-conversation.ts";

type Contact = NonNullable<ConsoleConversation["contact"]>;
export type WhatsAppReplyState = "open" | "closed" | "optedOut";

/**
 * What may be sent to the contact now. Opted out: they replied STOP and have not written since
 * (the API's rule: a message after the STOP lets a reply through, START clears it).
 */
export function whatsAppReplyState(
  contact: Pick<Contact, "optedOutAt" | "lastInboundAt">,
  now: Date = new Date(),
): WhatsAppReplyState {
  const { optedOutAt, lastInboundAt } = contact;
  if (
    optedOutAt != null &&
    (lastInboundAt == null || new Date(lastInboundAt).getTime() <= new Date(optedOutAt).getTime())
  )
    return "optedOut";
  return insideWhatsAppWindow(lastInboundAt, now) ? "open" : "closed";
}

/** The state now, and again each minute: the window closes while the console is open. */
function useReplyState(contact: Contact): WhatsAppReplyState {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return whatsAppReplyState(contact, now);
}

interface GateProps {
  readonly workspaceId: string;
  readonly conversation: ConsoleConversation;
  readonly onSent: (messageId: string) => void;
  /** The free-text reply form, shown while the window is open. */
  readonly children: ReactNode;
}

/** The reply panel of a WhatsApp conversation: free text, a template, or nothing, as WhatsApp allows. */
export function WhatsAppReplyGate({ workspaceId, conversation, onSent, children }: GateProps) {
  const contact = conversation.contact;
  if (conversation.channel !== "WHATSAPP" || contact == null) return <>{children}</>;
  return (
    <ContactGate
      workspaceId={workspaceId}
      conversationId={conversation.id}
      mode={conversation.mode}
      contact={contact}
      onSent={onSent}
    >
      {children}
    </ContactGate>
  );
}

function ContactGate({
  workspaceId,
  conversationId,
  mode,
  contact,
  onSent,
  children,
}: Omit<GateProps, "conversation"> & { conversationId: string; mode: ConversationMode; contact: Contact }) {
  const state = useReplyState(contact);
  if (state === "open") return <>{children}</>;
  if (state === "optedOut") {
    return (
      <div className="composer__blocked" data-testid="contact-opted-out">
        <p>
          {contact.optedOutAt != null ? (
            <Trans
              ns="conversations"
              i18nKey="templateSend.optedOutOn"
              values={{ name: contact.name, time: formatTime(contact.optedOutAt) }}
              components={{ strong: <strong /> }}
            />
          ) : (
            <Trans
              ns="conversations"
              i18nKey="templateSend.optedOut"
              values={{ name: contact.name }}
              components={{ strong: <strong /> }}
            />
          )}
        </p>
      </div>
    );
  }
  return (
    <TemplateSend
      workspaceId={workspaceId}
      conversationId={conversationId}
      mode={mode}
      contact={contact}
      onSent={onSent}
    />
  );
}

/** The window is closed: a short notice, then an approved template to pick and send. */
function TemplateSend({
  workspaceId,
  conversationId,
  mode,
  contact,
  onSent,
}: {
  workspaceId: string;
  conversationId: string;
  mode: ConversationMode;
  contact: Contact;
  onSent: (messageId: string) => void;
}) {
  const { t } = useTranslation("conversations");
  const client = useApolloClient();
  // After a FORBIDDEN the workspace's permissions are read again, as the composer's own forms do.
  const refreshPermissions = () =>
    void Promise.resolve(client.refetchQueries({ include: ["WorkspaceHome"] })).catch(() => undefined);
  const templates = useQuery(MessageTemplatesDocument, {
    variables: { workspaceId },
    fetchPolicy: "cache-and-network",
  });
  const [chosen, setChosen] = useState("");
  const [error, setError] = useState<UserFacingError>();
  const [optedOut, setOptedOut] = useState(false);
  const [send, { loading }] = useMutation(SendTemplateMessageDocument);
  const list = templates.data?.messageTemplates ?? [];
  const templateId = chosen !== "" ? chosen : (list[0]?.id ?? "");
  const template = list.find((t) => t.id === templateId);

  const onSubmit = async () => {
    if (template === undefined) return;
    setError(undefined);
    try {
      const result = await send({ variables: { workspaceId, conversationId, templateId: template.id } });
      if (result.data != null) onSent(result.data.sendTemplateMessage.id);
    } catch (caught) {
      // The contact replied STOP since the page was loaded: nothing more to offer.
      if (errorReason(caught) === "CONTACT_OPTED_OUT") setOptedOut(true);
      setError(describeError(caught, refusalOverrides("reply", mode)));
      if (errorCode(caught) === "FORBIDDEN") refreshPermissions();
    }
  };

  const notice = (
    <p className="composer__window-notice" data-testid="whatsapp-window-closed">
      {contact.lastInboundAt == null
        ? t("templateSend.neverWrote", { name: contact.name })
        : t("templateSend.windowClosed", { name: contact.name, time: formatTime(contact.lastInboundAt) })}
    </p>
  );
  if (optedOut) {
    return (
      <div className="composer__blocked" data-testid="contact-opted-out">
        <ErrorBanner error={error} />
      </div>
    );
  }
  if (templates.data === undefined) {
    return (
      <div className="composer__blocked">
        {notice}
        {templates.error !== undefined ? (
          <ErrorBanner error={describeError(templates.error)} />
        ) : (
          <p className="muted">{t("templateSend.loading")}</p>
        )}
      </div>
    );
  }
  if (list.length === 0) {
    return (
      <div className="composer__blocked">
        {notice}
        <NoTemplates />
      </div>
    );
  }
  const preview =
    template === undefined
      ? ""
      : renderWhatsAppTemplate(
          template.body,
          templateVariables(template.variables, {
            name: contact.name,
            email: contact.email ?? null,
            phone: contact.phone ?? null,
            business: t("templateSend.yourBusiness"),
            agent: null,
          }),
        );
  return (
    <form
      className="form composer__form"
      aria-label={t("templateSend.formLabel")}
      onSubmit={(event) => {
        event.preventDefault();
        void onSubmit();
      }}
    >
      {notice}
      <ErrorBanner error={error} />
      <Select
        label={t("templateSend.templateLabel")}
        hint={preview !== "" ? t("templateSend.preview", { preview }) : undefined}
        value={templateId}
        onChange={(event) => setChosen(event.target.value)}
      >
        {list.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </Select>
      <FormActions
        submitLabel={t("templateSend.submit")}
        pending={loading}
        pendingLabel={t("composer.sending")}
        disabled={template === undefined}
      />
    </form>
  );
}

/** No template yet: where to add one (a link for those who may, the way to ask for the others). */
function NoTemplates() {
  const { t } = useTranslation("conversations");
  const ability = useAbility();
  const inRouter = useInRouterContext();
  const canAdd = ability.can("update", "Workspace");
  return (
    <p className="muted" data-testid="no-templates">
      {t("templateSend.noTemplates")}{" "}
      {canAdd ? inRouter ? <SettingsLink /> : t("templateSend.addOne") : t("templateSend.askToAdd")}
    </p>
  );
}

function SettingsLink() {
  const { t } = useTranslation("conversations");
  const { slug } = useParams();
  return slug === undefined ? (
    <>{t("templateSend.addOne")}</>
  ) : (
    <Link to={`/w/${slug}/settings/whatsapp-templates`}>{t("templateSend.addLink")}</Link>
  );
}
