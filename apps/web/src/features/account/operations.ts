import { graphql } from "../../gql/gql.ts";

export const PasskeyFields = graphql(`
  fragment PasskeyFields on Passkey {
    id
    name
    createdAt
    lastUsedAt
  }
`);

export const AccountSecurityDocument = graphql(`
  query AccountSecurity {
    accountSecurity {
      stepUpAvailable
      totpEnabled
      recoveryCodesLeft
      stepUpVerifiedAt
      passkeys {
        ...PasskeyFields
      }
    }
  }
`);

export const EnrollTotpDocument = graphql(`
  mutation EnrollTotp {
    enrollTotp {
      secret
      otpauthUrl
    }
  }
`);

export const ConfirmTotpDocument = graphql(`
  mutation ConfirmTotp($code: String!) {
    confirmTotp(code: $code)
  }
`);

export const DisableTotpDocument = graphql(`
  mutation DisableTotp {
    disableTotp
  }
`);

export const RegenerateRecoveryCodesDocument = graphql(`
  mutation RegenerateRecoveryCodes {
    regenerateRecoveryCodes
  }
`);

export const VerifyStepUpDocument = graphql(`
  mutation VerifyStepUp($code: String!) {
    verifyStepUp(code: $code)
  }
`);

export const PasskeyRegistrationOptionsDocument = graphql(`
  mutation PasskeyRegistrationOptions {
    passkeyRegistrationOptions
  }
`);

export const AddPasskeyDocument = graphql(`
  mutation AddPasskey($response: String!, $name: String) {
    addPasskey(response: $response, name: $name) {
      ...PasskeyFields
    }
  }
`);

export const RemovePasskeyDocument = graphql(`
  mutation RemovePasskey($id: ID!) {
    removePasskey(id: $id)
  }
`);

export const PasskeyStepUpOptionsDocument = graphql(`
  mutation PasskeyStepUpOptions {
    passkeyStepUpOptions
  }
`);

export const VerifyPasskeyStepUpDocument = graphql(`
  mutation VerifyPasskeyStepUp($response: String!) {
    verifyPasskeyStepUp(response: $response)
  }
`);

export const SessionsDocument = graphql(`
  query Sessions {
    sessions {
      id
      current
      createdAt
      lastSeenAt
      ip
      userAgent
    }
  }
`);

export const RevokeSessionDocument = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`);

// Issue 49: password reset, password and e-mail changes, account deletion.
export const RequestPasswordResetDocument = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

export const ResetPasswordDocument = graphql(`
  mutation ResetPassword($token: String!, $password: String!) {
    resetPassword(token: $token, password: $password)
  }
`);

export const ChangePasswordDocument = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

export const RequestEmailChangeDocument = graphql(`
  mutation RequestEmailChange($newEmail: String!, $currentPassword: String!) {
    requestEmailChange(newEmail: $newEmail, currentPassword: $currentPassword)
  }
`);

export const ConfirmEmailChangeDocument = graphql(`
  mutation ConfirmEmailChange($token: String!) {
    confirmEmailChange(token: $token)
  }
`);

export const RevertEmailChangeDocument = graphql(`
  mutation RevertEmailChange($token: String!) {
    revertEmailChange(token: $token)
  }
`);

export const SoleOwnedWorkspacesDocument = graphql(`
  query SoleOwnedWorkspaces {
    soleOwnedWorkspaces {
      id
      slug
      name
    }
  }
`);

export const DeleteAccountDocument = graphql(`
  mutation DeleteAccount($currentPassword: String!) {
    deleteAccount(currentPassword: $currentPassword)
  }
`);
