import { describe, expect, it } from "@atrium/test-kit";
import { PROVIDER_CARDS, buildInput, initialValues } from "./providers.ts";

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
    const built = buildInput(PROVIDER_CARDS.TWILIO, { accountSid: " ", authToken: "", whatsappFrom: "+1555" }, false);
    expect(built.problems).toEqual({ "twilio.accountSid": "Enter the account sid.", "twilio.authToken": "Enter the auth token." });
  });

  it("leaves an empty secret out of an update so the stored one is kept", () => {
    const built = buildInput(PROVIDER_CARDS.VAPI, { apiKey: "", assistantId: " asst_1 ", phoneNumberId: "pn_1", serverSecret: "s3cret" }, true);
    expect(built.input).toEqual({ vapi: { assistantId: "asst_1", phoneNumberId: "pn_1", serverSecret: "s3cret" } });
  });

  it("sends the Cal.com event type as a number and refuses anything else", () => {
    expect(buildInput(PROVIDER_CARDS.CALCOM, { apiKey: "cal_live_x", eventTypeId: "42" }, false).input).toEqual({ calcom: { apiKey: "cal_live_x", eventTypeId: 42 } });
    expect(buildInput(PROVIDER_CARDS.CALCOM, { apiKey: "", eventTypeId: "4.2" }, true).problems).toEqual({
      "calcom.eventTypeId": "The event type id is a whole number.",
    });
  });
});
