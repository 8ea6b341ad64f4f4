import { describe, expect, it } from "@atrium/test-kit";
import { INTEGRATION_MESSAGES } from "@atrium/validation";

import { buildInput, cardFieldPaths, initialValues, PROVIDER_CARDS } from "./providers.ts";

const SID = `AC${"0123456789abcdef".repeat(2)}`;

describe("integration cards", () => {
  it("starts from the stored public values and never pre-fills a secret", () => {
    const values = initialValues(PROVIDER_CARDS.TWILIO, [
      { name: "accountSid", value: "AC123", secret: false },
      { name: "authToken", value: "••••••••abcd", secret: true },
      { name: "whatsappFrom", value: "+14155238886", secret: false },
    ]);
    expect(values).toEqual({ accountSid: "AC123", authToken: "", whatsappFrom: "+14155238886" });
  });

  it("suggests a model for a new OpenAI card", () => {
    expect(initialValues(PROVIDER_CARDS.OPENAI, [])).toEqual({ apiKey: "", model: "gpt-4o-mini" });
  });

  it("requires every field, secrets included, when the card is first saved (API field keys)", () => {
    const built = buildInput(
      PROVIDER_CARDS.TWILIO,
      { accountSid: " ", authToken: "", whatsappFrom: "+14155238886" },
      false,
    );
    expect(built.problems).toEqual({
      "twilio.accountSid": "Enter the account sid.",
      "twilio.authToken": "Enter the auth token.",
    });
    expect(buildInput(PROVIDER_CARDS.OPENAI, { apiKey: "", model: "" }, true).problems).toEqual({
      "openai.model": "Enter the model.",
    });
  });

  it("leaves an empty secret out of an update so the stored one is kept", () => {
    const built = buildInput(
      PROVIDER_CARDS.VAPI,
      { apiKey: "", assistantId: " asst_1 ", phoneNumberId: "pn_1", serverSecret: "s3cret-value" },
      true,
    );
    expect(built.input).toEqual({
      vapi: { assistantId: "asst_1", phoneNumberId: "pn_1", serverSecret: "s3cret-value" },
    });
  });

  it("sends the Cal.com event type as a number and refuses anything else", () => {
    expect(buildInput(PROVIDER_CARDS.CALCOM, { apiKey: "cal_live_x", eventTypeId: "42" }, false).input).toEqual({
      calcom: { apiKey: "cal_live_x", eventTypeId: 42 },
    });
    expect(buildInput(PROVIDER_CARDS.CALCOM, { apiKey: "", eventTypeId: "4.2" }, true).problems).toEqual({
      "calcom.eventTypeId": "The event type id is a whole number.",
    });
  });

  it("refuses what the API's input refuses, in its words, on the API's field keys", () => {
    expect(
      buildInput(PROVIDER_CARDS.TWILIO, { accountSid: "nope", authToken: "short", whatsappFrom: "+1555" }, false)
        .problems,
    ).toEqual({
      "twilio.accountSid": INTEGRATION_MESSAGES.accountSid,
      "twilio.authToken": INTEGRATION_MESSAGES.secret,
      "twilio.whatsappFrom": INTEGRATION_MESSAGES.whatsappFrom,
    });
    expect(
      buildInput(
        PROVIDER_CARDS.TWILIO,
        { accountSid: ` ${SID} `, authToken: "", whatsappFrom: "whatsapp:+14155238886" },
        true,
      ).input,
    ).toEqual({
      twilio: { accountSid: SID, whatsappFrom: "whatsapp:+14155238886" },
    });
    expect(
      buildInput(
        PROVIDER_CARDS.VAPI,
        { apiKey: "", assistantId: "asst 1", phoneNumberId: "pn/1", serverSecret: "" },
        true,
      ).problems,
    ).toEqual({
      "vapi.assistantId": INTEGRATION_MESSAGES.assistantId,
      "vapi.phoneNumberId": INTEGRATION_MESSAGES.phoneNumberId,
    });
    expect(buildInput(PROVIDER_CARDS.CALCOM, { apiKey: "", eventTypeId: "0" }, true).problems).toEqual({
      "calcom.eventTypeId": INTEGRATION_MESSAGES.eventTypeId,
    });
    expect(buildInput(PROVIDER_CARDS.OPENAI, { apiKey: "sk-a b c d e", model: "gpt 4o" }, true).problems).toEqual({
      "openai.apiKey": INTEGRATION_MESSAGES.secret,
      "openai.model": INTEGRATION_MESSAGES.model,
    });
    expect(cardFieldPaths(PROVIDER_CARDS.CALCOM)).toEqual(["calcom.apiKey", "calcom.eventTypeId"]);
  });
});
