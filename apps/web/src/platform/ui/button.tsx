/**
 * The app's button. Variants map onto the classes styles.css already draws: `primary` (the accent),
 * `secondary` (the default outline), `danger` (destroys or cannot be undone), `ghost` (no border
 * until hovered; `.button--quiet`), and `bare` for a control styled wholly by its own class (a
 * pager arrow, a link-looking button, a list item that opens something). `type` defaults to
 * "button", so a button inside a form never submits it by accident; pass `type="submit"` to submit.
 * While `loading`, the button is disabled and `aria-busy`, and shows a spinner in place of its icon;
 * its accessible name (its text, or `aria-label`) does not change.
 */
import { forwardRef, type ButtonHTMLAttributes, type ReactNode } from "react";

import { Icon, type IconName } from "./icon.tsx";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost" | "bare";
export type ButtonSize = "medium" | "small";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  readonly variant?: ButtonVariant;
  readonly size?: ButtonSize;
  /** The action is under way: disabled, `aria-busy`, a spinner instead of the icon. */
  readonly loading?: boolean;
  /** A Lucide icon (the kit's `Icon` names) before the text; decoration, hidden from assistive technology. */
  readonly icon?: IconName;
  readonly children?: ReactNode;
}

const VARIANT_CLASS: Readonly<Record<ButtonVariant, string | undefined>> = {
  primary: "button--primary",
  secondary: undefined,
  danger: "button--danger",
  ghost: "button--quiet",
  bare: undefined,
};

/** The class list a kit button renders: for pages that draw a link (`<Link>`) as a button. */
export function buttonClass({
  variant = "secondary",
  size = "medium",
  className,
}: { variant?: ButtonVariant; size?: ButtonSize; className?: string | undefined } = {}): string {
  const classes =
    variant === "bare" ? [] : ["button", VARIANT_CLASS[variant], size === "small" ? "button--small" : undefined];
  return [...classes, className].filter(Boolean).join(" ");
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  {
    variant = "secondary",
    size = "medium",
    loading = false,
    icon,
    type = "button",
    className,
    disabled,
    children,
    ...rest
  },
  ref,
) {
  const classes = buttonClass({ variant, size, className });
  return (
    <button
      ref={ref}
      type={type}
      className={classes === "" ? undefined : classes}
      disabled={disabled === true || loading}
      {...(loading ? { "aria-busy": true } : {})}
      {...rest}
    >
      {loading ? <Icon name="loading" className="icon--spin" /> : icon !== undefined && <Icon name={icon} />}
      {children}
    </button>
  );
});
