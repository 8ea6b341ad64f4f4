// Our verifier against the official `twilio` package as the independent signer.
import twilio from "twilio";
import { describe, expect, it } from "@atrium/test-kit";
import { isValidTwilioSignature } from "./twilio-signature.ts";

const url = "https://atrium.example.test/webhooks/twilio/7c9e6679-7425-40de-944b-e07fc1f90ae7";
const params = { MessageSid: "SM123", From: "whatsapp:+15550001111", To: "whatsapp:+15550002222", Body: "Héllo & <bye>", NumMedia: "0" };

describe("Twilio signature", () => {
  it("accepts what the twilio package signs", () => {
    expect(isValidTwilioSignature("token-1", twilio.getExpectedTwilioSignature("token-1", url, params), url, params)).toBe(true);
    const withQuery = `${url}/status?message=abc`;
    expect(isValidTwilioSignature("token-1", twilio.getExpectedTwilioSignature("token-1", withQuery, params), withQuery, params)).toBe(true);
  });

  it("refuses a tampered body, another token, another URL, a missing or malformed signature", () => {
    const sig = twilio.getExpectedTwilioSignature("token-1", url, params);
    expect(isValidTwilioSignature("token-1", sig, url, { ...params, Body: "Hello" })).toBe(false);
    expect(isValidTwilioSignature("token-1", sig, url, { ...params, Extra: "1" })).toBe(false);
    expect(isValidTwilioSignature("token-2", sig, url, params)).toBe(false);
    expect(isValidTwilioSignature("token-1", sig, url.replace("7c9e", "8c9e"), params)).toBe(false);
    expect(isValidTwilioSignature("token-1", undefined, url, params)).toBe(false);
    expect(isValidTwilioSignature("token-1", "short", url, params)).toBe(false);
  });
});
