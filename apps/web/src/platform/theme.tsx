/**
 * The theme picker (decision 0040): System / Light / Dark — applied at once on this device, saved
 * on the user with `updatePreferences`. The state, its resolution and applying the account's
 * stored choice when `me` loads (session.tsx) are theme-state.ts.
 */
import { useMutation } from "@apollo/client/react";
import { type ThemeChoice } from "@atrium/validation";
import { useId, useState } from "react";
import { graphql } from "../gql/gql.ts";
import { setTheme, TO_ACCOUNT, useThemeChoice } from "./theme-state.ts";
import { Icon, type IconName } from "./ui/icon.tsx";

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

const OPTIONS: readonly { readonly value: ThemeChoice; readonly label: string; readonly icon: IconName }[] = [
  { value: "system", label: "System", icon: "monitor" },
  { value: "light", label: "Light", icon: "sun" },
  { value: "dark", label: "Dark", icon: "moon" },
];

/** System / Light / Dark, as a radio group; the choice applies at once and is saved on the user. */
export function ThemePicker({ className }: { readonly className?: string }) {
  const choice = useThemeChoice();
  const name = useId();
  const statusId = useId();
  const [status, setStatus] = useState<{ readonly kind: "saved" | "error"; readonly text: string }>();
  const [save] = useMutation(UpdateThemeDocument);

  const choose = (next: ThemeChoice) => {
    setTheme(next);
    setStatus(undefined);
    save({ variables: { input: { theme: TO_ACCOUNT[next] } } }).then(
      () => setStatus({ kind: "saved", text: "Theme saved." }),
      () => setStatus({ kind: "error", text: "The theme applies on this device, but it could not be saved to your account. Try again." }),
    );
  };

  return (
    <fieldset className={["theme-picker", className].filter(Boolean).join(" ")} aria-describedby={statusId} data-testid="theme-picker">
      <legend>Theme</legend>
      <div className="theme-picker__options">
        {OPTIONS.map((option) => (
          <label key={option.value} className="theme-picker__option">
            <input type="radio" name={name} value={option.value} checked={choice === option.value} onChange={() => choose(option.value)} />
            <Icon name={option.icon} />
            {option.label}
          </label>
        ))}
      </div>
      <p id={statusId} className={status?.kind === "error" ? "theme-picker__status field__error" : "theme-picker__status muted"} role="status">
        {status?.text ?? ""}
      </p>
    </fieldset>
  );
}
