// X-Twilio-Signature, exactly as Twilio computes it: base64(HMAC-SHA1(authToken, url + every
// POST parameter sorted by name, each as name immediately followed by value)), where `url` is
// the full URL Twilio called (our PUBLIC_URL + path + query). Compared in constant time.
import { createHmac, timingSafeEqual } from "node:crypto";

export function expectedTwilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

export function isValidTwilioSignature(authToken: string, signature: string | undefined, url: string, params: Record<string, string>): boolean {
  if (!signature) return false;
  const expected = Buffer.from(expectedTwilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
