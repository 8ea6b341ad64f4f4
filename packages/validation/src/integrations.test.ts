import { describe, expect, it } from "@atrium/test-kit";

import {
  calcomEventTypeId,
  INTEGRATION_FIELD_RULES,
  INTEGRATION_MESSAGES,
  integrationSecret,
  openaiModel,
  twilioAccountSid,
  vapiAssistantId,
  vapiPhoneNumberId,
  WHATSAPP_SENDER_RE,
  whatsappSender,
} from "./integrations.ts";
import { problemOf } from "./problems.ts";

describe("integration card fields", () => {
  it("takes a secret of 8 to 500 characters without spaces", () => {
    expect(problemOf(integrationSecret, "a".repeat(8))).toBeUndefined();
    expect(problemOf(integrationSecret, "a".repeat(500))).toBeUndefined();
    for (const refused of ["", "a".repeat(7), "a".repeat(501), "abcd efgh", " abcdefgh", "abcdefgh\n"]) {
      expect(problemOf(integrationSecret, refused)).toBe(INTEGRATION_MESSAGES.secret);
    }
  });

  it("takes a Twilio account SID: AC and 32 hexadecimal characters", () => {
    expect(problemOf(twilioAccountSid, `AC${"0123456789abcdef".repeat(2)}`)).toBeUndefined();
    expect(problemOf(twilioAccountSid, `AC${"0123456789ABCDEF".repeat(2)}`)).toBeUndefined();
    for (const refused of [
      "",
      "nope",
      `AC${"a".repeat(31)}`,
      `AC${"a".repeat(33)}`,
      `ac${"a".repeat(32)}`,
      `AC${"g".repeat(32)}`,
      ` AC${"a".repeat(32)}`,
    ]) {
      expect(problemOf(twilioAccountSid, refused)).toBe(INTEGRATION_MESSAGES.accountSid);
    }
  });

  it("takes a WhatsApp sender in E.164 (7 to 15 digits), with or without whatsapp:", () => {
    for (const accepted of ["+14155238886", "whatsapp:+14155238886", "+1234567", `+1${"2".repeat(14)}`]) {
      expect(problemOf(whatsappSender, accepted)).toBeUndefined();
    }
    expect(WHATSAPP_SENDER_RE.source).toBe(String.raw`^(whatsapp:)?\+[1-9]\d{6,14}$`);
    for (const refused of [
      "",
      "+1555",
      "+123456",
      `+1${"2".repeat(15)}`,
      "14155238886",
      "+04155238886",
      "whatsapp:14155238886",
      "WhatsApp:+14155238886",
      "+1 415 523 8886",
    ]) {
      expect(problemOf(whatsappSender, refused)).toBe(INTEGRATION_MESSAGES.whatsappFrom);
    }
  });

  it("takes Vapi ids and OpenAI model names of up to 100 id characters, each in its own words", () => {
    for (const [schema, message] of [
      [vapiAssistantId, INTEGRATION_MESSAGES.assistantId],
      [vapiPhoneNumberId, INTEGRATION_MESSAGES.phoneNumberId],
      [openaiModel, INTEGRATION_MESSAGES.model],
    ] as const) {
      for (const accepted of ["asst_1", "gpt-4o-mini", "ft:gpt-4o:org:x.1", "a".repeat(100)])
        expect(problemOf(schema, accepted)).toBeUndefined();
      for (const refused of ["", "a".repeat(101), "two words", "a/b"]) expect(problemOf(schema, refused)).toBe(message);
    }
  });

  it("takes a Cal.com event type id from 1 to 2147483647", () => {
    expect(problemOf(calcomEventTypeId, 1)).toBeUndefined();
    expect(problemOf(calcomEventTypeId, 2_147_483_647)).toBeUndefined();
    for (const refused of [0, -1, 2_147_483_648])
      expect(problemOf(calcomEventTypeId, refused)).toBe(INTEGRATION_MESSAGES.eventTypeId);
  });

  it("names every card's fields as the API's input does", () => {
    expect(
      Object.fromEntries(Object.entries(INTEGRATION_FIELD_RULES).map(([card, rules]) => [card, Object.keys(rules)])),
    ).toEqual({
      twilio: ["accountSid", "authToken", "whatsappFrom"],
      vapi: ["apiKey", "assistantId", "phoneNumberId", "serverSecret"],
      calcom: ["apiKey", "eventTypeId"],
      openai: ["apiKey", "model"],
    });
  });
});
