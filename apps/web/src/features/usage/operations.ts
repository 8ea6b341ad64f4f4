import { graphql } from "../../gql/gql.ts";

export const PlanFields = graphql(`
  fragment PlanFields on Plan {
    id
    name
    monthlyMessages
    monthlyCalls
    monthlyLeads
    offered
  }
`);

export const UsageFields = graphql(`
  fragment UsageFields on Usage {
    month
    plan {
      ...PlanFields
    }
    messages {
      used
      quota
    }
    calls {
      used
      quota
    }
    leads {
      used
      quota
    }
    heldMessages
    heldCalls
    history {
      month
      messages
      calls
      leads
    }
  }
`);

export const UsageDocument = graphql(`
  query Usage($workspaceId: ID!) {
    usage(workspaceId: $workspaceId) {
      ...UsageFields
    }
    availablePlans(workspaceId: $workspaceId) {
      ...PlanFields
    }
  }
`);

export const SwitchPlanDocument = graphql(`
  mutation SwitchPlan($workspaceId: ID!, $planId: ID!) {
    switchPlan(workspaceId: $workspaceId, planId: $planId) {
      ...UsageFields
    }
  }
`);

export const AdminPlansDocument = graphql(`
  query AdminPlans {
    plans {
      ...PlanFields
    }
  }
`);

export const CreatePlanDocument = graphql(`
  mutation CreatePlan($input: PlanInput!) {
    createPlan(input: $input) {
      ...PlanFields
    }
  }
`);

export const AssignPlanDocument = graphql(`
  mutation AssignPlan($slug: String!, $planId: ID) {
    assignPlan(slug: $slug, planId: $planId) {
      id
    }
  }
`);
