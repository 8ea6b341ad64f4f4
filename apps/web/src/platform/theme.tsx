/**
 * The theme picker (decision 0040): System / Light / Dark — applied at once on this device, saved
 * on the user with `updatePreferences`. The state, its resolution and applying the account's
 * stored choice when `me` loads (session.tsx) are theme-state.ts.
 */
import { useMutation } from "@apollo/client/react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";

import { type ThemeChoice } from "@atrium/validation";

import { graphql } from "../gql/gql.ts";
import { setTheme, TO_ACCOUNT, useThemeChoice } from "./theme-state.ts";
import { Icon, type IconName } from "./ui/icon.tsx";
import { Radio } from "./ui/text-field.tsx";

export const UpdateThemeDocument = graphql(`
  mutation UpdateThemePreference($input: UpdatePreferencesInput!) {
    updatePreferences(input: $input) {
      id
      preferences {
        theme
        locale
      }
    }
  }
`);

/** Each choice with its label's key (namespace "common") and icon. */
const OPTIONS = [
  { value: "system", label: "theme.system", icon: "monitor" },
  { value: "light", label: "theme.light", icon: "sun" },
  { value: "dark", label: "theme.dark", icon: "moon" },
] as const satisfies readonly { readonly value: ThemeChoice; readonly label: string; readonly icon: IconName }[];

/** System / Light / Dark, as a radio group; the choice applies at once and is saved on the user. */
export function ThemePicker({ className }: { readonly className?: string }) {
  const { t } = useTranslation("common");
  const choice = useThemeChoice();
  const name = useId();
  const statusId = useId();
  const [status, setStatus] = useState<"saved" | "error">();
  const [save] = useMutation(UpdateThemeDocument);

  const choose = (next: ThemeChoice) => {
    setTheme(next);
    setStatus(undefined);
    save({ variables: { input: { theme: TO_ACCOUNT[next] } } }).then(
      () => setStatus("saved"),
      () => setStatus("error"),
    );
  };

  return (
    <fieldset
      className={["theme-picker", className].filter(Boolean).join(" ")}
      aria-describedby={statusId}
      data-testid="theme-picker"
    >
      <legend>{t("theme.legend")}</legend>
      <div className="theme-picker__options">
        {OPTIONS.map((option) => (
          <label key={option.value} className="theme-picker__option">
            <Radio
              name={name}
              value={option.value}
              checked={choice === option.value}
              onChange={() => choose(option.value)}
            />
            <Icon name={option.icon} />
            {t(option.label)}
          </label>
        ))}
      </div>
      <p
        id={statusId}
        className={status === "error" ? "theme-picker__status field__error" : "theme-picker__status muted"}
        role="status"
      >
        {status === "saved" ? t("theme.saved") : status === "error" ? t("theme.notSaved") : ""}
      </p>
    </fieldset>
  );
}
