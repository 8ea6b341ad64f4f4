import { WHATSAPP_MESSAGES } from "@atrium/validation";

// Why a message decided earlier never left (the `error_message` of a SUPPRESSED message): the
// decision that stopped it. Each is written by the transaction that takes the decision (for every
// message of its scope not yet handed to the provider) and checked again by the send job in the
// transaction that claims a message for sending (issue 56).
export const NOT_SENT = {
  agentPaused: "Not sent: the agent is paused.",
  campaignCancelled: "Not sent: the campaign was cancelled.",
  optedOut: "Not sent: the contact opted out (replied STOP).",
  /** Issue 50: the person asked for their data to be erased; a campaign does not re-contact them. */
  erased: "Not sent: erased on request (the person asked for their data to be erased).",
  takenOver: "Not sent: a person took the conversation over.",
  /** Issue 56: free text outside WhatsApp's 24-hour window, with no approved template to send instead. */
  templateRequired: WHATSAPP_MESSAGES.templateRequired,
} as const;

/** The error code stored with `templateRequired` (a final FAILED: nothing was sent). */
export const TEMPLATE_REQUIRED = "TEMPLATE_REQUIRED";

/** Twilio's error codes the product explains in words (the rest are shown with their number). */
export const TWILIO_ERRORS: Record<string, string> = {
  "63016":
    "WhatsApp allows free text only within 24 hours of the contact's last message; send an approved template instead",
  "63024": "the recipient is not a valid WhatsApp user",
  "63032": "WhatsApp does not allow this message to this user",
  "21610": "the recipient has unsubscribed (STOP)",
};

/** A campaign message its send job handed back to the campaign while it is paused (still QUEUED). */
export const WAITING_CAMPAIGN_PAUSED = "Waiting: the campaign is paused; it is sent when the campaign is resumed.";
