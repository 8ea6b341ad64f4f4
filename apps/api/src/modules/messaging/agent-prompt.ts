// What the agent says: the opening WhatsApp message to a new lead, and the system prompt of
// its chat completions, both built from the workspace's persona (W10).
export interface Persona {
  workspaceName: string;
  agentName: string | null;
  agentRole: string | null;
  agentTone: string | null;
  qualificationQuestions: string[];
}

export function systemPrompt(p: Persona): string {
  const name = p.agentName?.trim() || "the assistant";
  const lines = [
    `You are ${name}${p.agentRole ? `, ${p.agentRole}` : ""} at ${p.workspaceName}, replying to a lead over WhatsApp.`,
    `Tone: ${p.agentTone?.trim().toLowerCase() || "friendly and professional"}.`,
    "Keep replies short (at most three sentences), ask one question at a time, and never invent prices, dates or promises.",
  ];
  if (p.qualificationQuestions.length > 0) {
    lines.push("Work through these qualification questions in order, skipping any the lead has already answered:");
    p.qualificationQuestions.forEach((q, i) => lines.push(`${i + 1}. ${q}`));
  }
  lines.push("If the lead asks for a human, say a teammate will follow up.");
  return lines.join("\n");
}

export function openingMessage(p: Persona, leadName: string): string {
  const first = leadName.trim().split(/\s+/)[0] || "there";
  const who = p.agentName?.trim() ? `${p.agentName.trim()}${p.agentRole ? `, ${p.agentRole}` : ""} at ${p.workspaceName}` : p.workspaceName;
  const question = p.qualificationQuestions[0];
  return `Hi ${first}, this is ${who}. Thanks for getting in touch!${question ? ` ${question}` : " How can we help?"}`;
}
