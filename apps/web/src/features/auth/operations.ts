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

/** The second step of signing in to an account with an authenticator app (issue 56). */
export const CompleteSignInDocument = graphql(`
  mutation CompleteSignIn($challenge: String!, $code: String!) {
    completeSignIn(challenge: $challenge, code: $code) {
      expiresAt
      user {
        id
        email
      }
    }
  }
`);

/** Verifies the address and, for an account's first verification, signs the person in. */
export const VerifyEmailAndSignInDocument = graphql(`
  mutation VerifyEmailAndSignIn($token: String!, $password: String!) {
    verifyEmailAndSignIn(token: $token, password: $password) {
      session {
        expiresAt
        user {
          id
          email
        }
      }
    }
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
