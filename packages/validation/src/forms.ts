/**
 * The main forms, field by field, composed from the shared rules: what the web app checks before
 * sending, and what the API's inputs check on arrival. Field names are the GraphQL input's, so a
 * server's `extensions.fields` lands on the same field as the form's own verdict.
 */
import * as z from "zod/mini";

import { emailAddress, optionalContactEmail } from "./email.ts";
import {
  agentName,
  agentRole,
  agentTone,
  apiKeyName,
  bookingCancelReason,
  campaignMessage,
  campaignName,
  campaignTag,
  contactName,
  currentPassword,
  newPassword,
  personName,
  phoneLabel,
  qualificationQuestions,
  stepUpCode,
  tagList,
  workspaceDescription,
  workspaceName,
} from "./fields.ts";
import { optionalPhoneNumber, phoneNumber } from "./phone.ts";
import { optionalWorkspaceSlug, workspaceSlug } from "./slug.ts";
import { webhookEvents, webhookUrl } from "./webhooks.ts";

/** Sign-up (M9). */
export const signUpForm = z.object({ name: personName, email: emailAddress, password: newPassword });
export type SignUpForm = z.infer<typeof signUpForm>;

/** Sign-in. */
export const signInForm = z.object({ email: emailAddress, password: currentPassword });
export type SignInForm = z.infer<typeof signInForm>;

/** Invite a member: the address (role and policies are chosen from lists). */
export const inviteMemberForm = z.object({ email: emailAddress });
export type InviteMemberForm = z.infer<typeof inviteMemberForm>;

/** Create a workspace (W1, W2): a slug only when the user chose one; empty means derived from the name. */
export const createWorkspaceForm = z.object({
  name: workspaceName,
  slug: optionalWorkspaceSlug,
  description: workspaceDescription,
});
export type CreateWorkspaceForm = z.infer<typeof createWorkspaceForm>;

/** Settings → name and address (W3). */
export const workspaceDetailsForm = z.object({
  name: workspaceName,
  slug: workspaceSlug,
  description: workspaceDescription,
});
export type WorkspaceDetailsForm = z.infer<typeof workspaceDetailsForm>;

/** Settings → agent persona (W10). */
export const agentPersonaForm = z.object({ agentName, agentRole, tone: agentTone, qualificationQuestions });
export type AgentPersonaForm = z.infer<typeof agentPersonaForm>;

/** A workspace's phone number (R6). A Vapi number's id is required by the API (and asked for by the form). */
export const phoneNumberForm = z.object({ number: phoneNumber, label: phoneLabel });
export type PhoneNumberForm = z.infer<typeof phoneNumberForm>;

/** A contact (R2); tags as one comma-separated line. */
export const contactForm = z.object({
  name: contactName,
  email: optionalContactEmail,
  phone: optionalPhoneNumber,
  tags: tagList,
});
export type ContactForm = z.infer<typeof contactForm>;

/** A webhook endpoint (A5): its URL and the events it hears about. */
export const webhookEndpointForm = z.object({ url: webhookUrl, events: webhookEvents });
export type WebhookEndpointForm = z.infer<typeof webhookEndpointForm>;

/** An API key (A1): its name (scopes and expiry are checked against what the user holds and today's date). */
export const apiKeyForm = z.object({ name: apiKeyName });
export type ApiKeyForm = z.infer<typeof apiKeyForm>;

/** A second-factor code: confirming the authenticator app, or step-up verification (S7). */
export const stepUpCodeForm = z.object({ code: stepUpCode });
export type StepUpCodeForm = z.infer<typeof stepUpCodeForm>;

/** A campaign draft (R5): name, message (placeholders included) and an optional tag; contacts are picked from a list. */
export const campaignForm = z.object({ name: campaignName, message: campaignMessage, tag: campaignTag });
export type CampaignForm = z.infer<typeof campaignForm>;

/** Cancelling a booking (R4): an optional reason for the attendee. */
export const cancelBookingForm = z.object({ reason: bookingCancelReason });
export type CancelBookingForm = z.infer<typeof cancelBookingForm>;
