// Before every test file. Component tests run in jsdom (`@jest-environment jsdom`), which lacks
// the TextEncoder/TextDecoder that Node and browsers have and react-router uses: Node's are lent.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TextDecoder, TextEncoder } from "node:util";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

globalThis.TextEncoder ??= TextEncoder;
globalThis.TextDecoder ??= TextDecoder;

// i18next with the English texts of every namespace (decision 0045), at once (initAsync: false),
// so component tests keep asserting the English text. Read from the files rather than imported:
// a namespace file added later needs no change here.
const enDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "src/i18n/locales/en");
const en = Object.fromEntries(
  readdirSync(enDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => [f.slice(0, -".json".length), JSON.parse(readFileSync(path.join(enDir, f), "utf8"))]),
);
if (!i18n.isInitialized) {
  void i18n.use(initReactI18next).init({
    resources: { en },
    lng: "en",
    fallbackLng: "en",
    supportedLngs: ["en", "es"],
    ns: Object.keys(en),
    defaultNS: "common",
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    react: { useSuspense: false },
  });
}
