// Why a message decided earlier never left (the `error_message` of a SUPPRESSED message): the
// decision that stopped it. Each is written by the transaction that takes the decision (for every
// message of its scope not yet handed to the provider) and checked again by the send job in the
// transaction that claims a message for sending (issue 56).
export const NOT_SENT = {
  agentPaused: "Not sent: the agent is paused.",
  campaignCancelled: "Not sent: the campaign was cancelled.",
  optedOut: "Not sent: the contact opted out (replied STOP).",
  takenOver: "Not sent: a person took the conversation over.",
} as const;

/** A campaign message its send job handed back to the campaign while it is paused (still QUEUED). */
export const WAITING_CAMPAIGN_PAUSED = "Waiting: the campaign is paused; it is sent when the campaign is resumed.";
