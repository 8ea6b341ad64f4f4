import { graphql } from "../../gql/gql.ts";

/** Every mutation below answers the workspace with these fields, so the cache (and the shell) follow. */
export const WorkspaceSettingsFieldsDocument = graphql(`
  fragment WorkspaceSettingsFields on Workspace {
    ...WorkspaceSummaryFields
    description
    agentPaused
    retentionDays
    agentName
    agentRole
    agentTone
    qualificationQuestions
    twilioWebhookUrl
    requireStepUp
    stepUpLifetimeMinutes
  }
`);

export const WorkspaceSettingsDocument = graphql(`
  query WorkspaceSettings($slug: String!) {
    workspace(slug: $slug) {
      ...WorkspaceSettingsFields
    }
  }
`);

export const AuthDiagnosticsDocument = graphql(`
  query AuthDiagnostics($workspaceId: ID!) {
    authDiagnostics(workspaceId: $workspaceId) {
      signingSecretConfigured
      integrationsKeyConfigured
    }
  }
`);

export const SetAgentPausedDocument = graphql(`
  mutation SetAgentPaused($workspaceId: ID!, $paused: Boolean!) {
    setAgentPaused(workspaceId: $workspaceId, paused: $paused) {
      ...WorkspaceSettingsFields
    }
  }
`);

export const UpdateWorkspaceDocument = graphql(`
  mutation UpdateWorkspace($id: ID!, $input: UpdateWorkspaceInput!) {
    updateWorkspace(id: $id, input: $input) {
      ...WorkspaceSettingsFields
    }
  }
`);

export const UpdateAgentPersonaDocument = graphql(`
  mutation UpdateAgentPersona($workspaceId: ID!, $input: AgentPersonaInput!) {
    updateAgentPersona(workspaceId: $workspaceId, input: $input) {
      ...WorkspaceSettingsFields
    }
  }
`);

export const SetRetentionDocument = graphql(`
  mutation SetRetention($workspaceId: ID!, $days: Int) {
    setRetention(workspaceId: $workspaceId, days: $days) {
      ...WorkspaceSettingsFields
    }
  }
`);

export const PreviewEnvironmentChangeDocument = graphql(`
  query PreviewEnvironmentChange($workspaceId: ID!, $environment: Environment!) {
    previewEnvironmentChange(workspaceId: $workspaceId, environment: $environment) {
      from
      to
      warnings
    }
  }
`);

export const ChangeEnvironmentDocument = graphql(`
  mutation ChangeEnvironment($workspaceId: ID!, $environment: Environment!, $confirm: Boolean!) {
    changeEnvironment(workspaceId: $workspaceId, environment: $environment, confirm: $confirm) {
      ...WorkspaceSettingsFields
    }
  }
`);

export const DeleteWorkspaceDocument = graphql(`
  mutation DeleteWorkspace($id: ID!, $confirmSlug: String!) {
    deleteWorkspace(id: $id, confirmSlug: $confirmSlug)
  }
`);

export const RetentionPreviewDocument = graphql(`
  query RetentionPreview($workspaceId: ID!) {
    retentionPreview(workspaceId: $workspaceId) {
      cutoff
      leads
      conversations
      messages
      webhookDeliveries
    }
  }
`);

export const SetWorkspaceSecurityDocument = graphql(`
  mutation SetWorkspaceSecurity($workspaceId: ID!, $input: WorkspaceSecurityInput!) {
    setWorkspaceSecurity(workspaceId: $workspaceId, input: $input) {
      ...WorkspaceSettingsFields
    }
  }
`);
