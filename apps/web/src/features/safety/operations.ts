import { graphql } from "../../gql/gql.ts";

/** A rule as the list and the editor show it: the list, and every mutation that answers one (so the cache follows). */
export const SafetyRuleFields = graphql(`
  fragment SafetyRuleFields on SafetyRule {
    id
    name
    phrases
    pattern
    appliesTo
    action
    enabled
    template
    updatedAt
  }
`);

export const SafetyRulesDocument = graphql(`
  query SafetyRules($workspaceId: ID!) {
    safetyRules(workspaceId: $workspaceId) {
      ...SafetyRuleFields
    }
  }
`);

export const SafetyRuleTemplatesDocument = graphql(`
  query SafetyRuleTemplates($workspaceId: ID!) {
    safetyRuleTemplates(workspaceId: $workspaceId) {
      key
      name
      description
      phrases
      pattern
      appliesTo
      action
    }
  }
`);

export const CreateSafetyRuleDocument = graphql(`
  mutation CreateSafetyRule($workspaceId: ID!, $input: SafetyRuleInput!) {
    createSafetyRule(workspaceId: $workspaceId, input: $input) {
      ...SafetyRuleFields
    }
  }
`);

export const UpdateSafetyRuleDocument = graphql(`
  mutation UpdateSafetyRule($workspaceId: ID!, $id: ID!, $input: SafetyRuleInput!) {
    updateSafetyRule(workspaceId: $workspaceId, id: $id, input: $input) {
      ...SafetyRuleFields
    }
  }
`);

export const DeleteSafetyRuleDocument = graphql(`
  mutation DeleteSafetyRule($workspaceId: ID!, $id: ID!) {
    deleteSafetyRule(workspaceId: $workspaceId, id: $id)
  }
`);
