import { graphql } from "../../gql/gql.ts";

export const SignUpDocument = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      user {
        id
        email
        emailVerified
      }
    }
  }
`);

export const SignInDocument = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      expiresAt
      user {
        id
        email
      }
    }
  }
`);

export const VerifyEmailDocument = graphql(`
  mutation VerifyEmail($token: String!, $password: String) {
    verifyEmail(token: $token, password: $password)
  }
`);

export const ResendVerificationEmailDocument = graphql(`
  mutation ResendVerificationEmail($email: String!) {
    resendVerificationEmail(email: $email)
  }
`);

/** Public: anonymous callers learn the mode only. */
export const RegistrationModeDocument = graphql(`
  query RegistrationMode {
    registrationSettings {
      mode
    }
  }
`);
