/**
 * The language picker (issue 48, decision 0045): Browser default / English / Español — shown at
 * once on this device (i18n/index.ts `setLanguage`), saved on the user (`locale`, with the same
 * `updatePreferences` mutation the theme picker sends). The account's stored language is applied
 * when `me` loads (session.tsx), so it follows the person across devices.
 */
import { useMutation } from "@apollo/client/react";
import { useId, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";

import { languageChoice, setLanguage, subscribeToLanguageChoice, type Language } from "../i18n/index.ts";
import { UpdateThemeDocument } from "./theme.tsx";
import { Radio } from "./ui/text-field.tsx";

/** Each language by its own name (as language menus everywhere show them), not translated. */
const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: "English", es: "Español" };
const OPTIONS: readonly (Language | null)[] = [null, "en", "es"];

/** The person's language choice, live (null: the browser's). */
export function useLanguageChoice(): Language | null {
  return useSyncExternalStore(subscribeToLanguageChoice, languageChoice, () => null);
}

/** Browser default / English / Español, as a radio group; the choice applies at once and is saved on the user. */
export function LanguagePicker({ className }: { readonly className?: string }) {
  const { t } = useTranslation("common");
  const choice = useLanguageChoice();
  const name = useId();
  const statusId = useId();
  const [status, setStatus] = useState<"saved" | "error">();
  const [save] = useMutation(UpdateThemeDocument);

  const choose = (next: Language | null) => {
    setStatus(undefined);
    void setLanguage(next);
    save({ variables: { input: { locale: next } } }).then(
      () => setStatus("saved"),
      () => setStatus("error"),
    );
  };

  return (
    <fieldset
      className={["theme-picker", "language-picker", className].filter(Boolean).join(" ")}
      aria-describedby={statusId}
      data-testid="language-picker"
    >
      <legend>{t("language.legend")}</legend>
      <div className="theme-picker__options">
        {OPTIONS.map((option) => (
          <label key={option ?? "browser"} className="theme-picker__option" lang={option ?? undefined}>
            <Radio name={name} value={option ?? ""} checked={choice === option} onChange={() => choose(option)} />
            {option === null ? t("language.browser") : LANGUAGE_NAMES[option]}
          </label>
        ))}
      </div>
      <p
        id={statusId}
        className={status === "error" ? "theme-picker__status field__error" : "theme-picker__status muted"}
        role="status"
      >
        {status === "saved" ? t("language.saved") : status === "error" ? t("language.notSaved") : ""}
      </p>
    </fieldset>
  );
}
