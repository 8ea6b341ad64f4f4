/** The read-only and placeholder sections of the settings page. */
import { WhyCantI } from "../access/why-cant-i.tsx";
import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { CopyButton } from "../../platform/copy-button.tsx";
import { PublicFormLink } from "../leads/public-form-link.tsx";
import { AuthDiagnosticsDocument } from "./operations.ts";
import { SettingsSection } from "./section.tsx";
import { LoadError } from "../../platform/load-error.tsx";

/** SPEC W5: the public form to share, and the UUID support asks for. */
export function ShareSection({ workspace }: { workspace: WorkspaceSettingsFieldsFragment }) {
  return (
    <SettingsSection id="public-form" title="Public form and workspace ID">
      <PublicFormLink slug={workspace.slug} />
      <div className="share">
        <span className="share__label">Workspace ID (for support)</span>
        <code className="share__url" data-testid="workspace-uuid">
          {workspace.id}
        </code>
        <CopyButton text={workspace.id} label="Copy ID" />
      </div>
    </SettingsSection>
  );
}

export function ApiKeysLink({ workspaceId, slug, canManage }: { workspaceId: string; slug: string; canManage: boolean }) {
  return (
    <SettingsSection id="api-keys" title="API keys">
      <p className="muted">Keys let your own servers submit leads and call the GraphQL API for this workspace.</p>
      {canManage ? (
        <Link to={`/w/${slug}/api-keys`}>Manage API keys</Link>
      ) : (
        <>
          <p className="muted">You don&apos;t have permission to manage API keys here.</p>
          <WhyCantI workspaceId={workspaceId} action="create" subject="ApiKey" />
        </>
      )}
    </SettingsSection>
  );
}

/**
 * SPEC W12, WhatsApp workspaces only: the URL Twilio must call when a message comes in. Twilio
 * signs every request with the card's auth token; the URL names this workspace.
 */
export function TwilioWebhookSection({ url }: { url: string }) {
  return (
    <SettingsSection
      id="twilio-webhook"
      title="Twilio sandbox webhook"
      description={
        <p className="muted">
          In the Twilio console, open Messaging → WhatsApp sandbox settings (or your sender&apos;s configuration) and paste this URL
          under &ldquo;When a message comes in&rdquo;, method POST. Delivery status callbacks are set by Atrium on every message it sends.
        </p>
      }
    >
      <div className="share">
        <span className="share__label">Webhook URL</span>
        <code className="share__url" data-testid="twilio-webhook-url">
          {url}
        </code>
        <CopyButton text={url} label="Copy URL" />
      </div>
    </SettingsSection>
  );
}

function Presence({ label, configured, testId }: { label: string; configured: boolean; testId: string }) {
  return (
    <div className="diagnostic">
      <dt>{label}</dt>
      <dd data-testid={testId}>
        <span className={configured ? "badge" : "badge badge--warning"}>{configured ? "Configured" : "Not configured"}</span>
      </dd>
    </div>
  );
}

/** SPEC W8: whether the platform's secrets are present — never their values. Read-only. */
export function AuthDiagnosticsSection({ workspaceId }: { workspaceId: string }) {
  const { data, error, refetch } = useQuery(AuthDiagnosticsDocument, { variables: { workspaceId } });
  const diagnostics = data?.authDiagnostics;
  return (
    <SettingsSection
      id="auth-diagnostics"
      title="Authentication diagnostics"
      description={<p className="muted">Platform settings, read-only: only whether they are present is shown, never their values.</p>}
    >
      {diagnostics === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} small />
        ) : (
          <p className="page-status">Checking…</p>
        )
      ) : (
        <dl className="diagnostics">
          <Presence label="Token signing secret (AUTH_SECRET)" configured={diagnostics.signingSecretConfigured} testId="diagnostic-signing-secret" />
          <Presence
            label="Integrations encryption key (INTEGRATIONS_ENCRYPTION_KEY)"
            configured={diagnostics.integrationsKeyConfigured}
            testId="diagnostic-integrations-key"
          />
        </dl>
      )}
    </SettingsSection>
  );
}

export function MembersLink({ slug }: { slug: string }) {
  return (
    <SettingsSection id="members" title="Members">
      <p className="muted">Invite people, change what they may do, or transfer ownership.</p>
      <Link to={`/w/${slug}/members`}>Manage members</Link>
    </SettingsSection>
  );
}
