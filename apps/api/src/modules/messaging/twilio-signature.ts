// X-Twilio-Signature, exactly as Twilio computes it: base64(HMAC-SHA1(authToken, url + every
// POST parameter sorted by name, each as name immediately followed by value)), where `url` is
// the full URL Twilio called (our PUBLIC_URL + path + query). Compared in constant time.
import { createHmac } from "node:crypto";
import { constantTimeEqual } from "../../platform/crypto/digest.ts";

export function expectedTwilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

export function isValidTwilioSignature(authToken: string, signature: string | undefined, url: string, params: Record<string, string>): boolean {
  if (!signature) return false;
  return constantTimeEqual(expectedTwilioSignature(authToken, url, params), signature);
}
