/**
 * Small line icons drawn inline (no icon font or image to load), in the text colour. They are
 * decoration: whatever they stand for is said in text beside them (visible or visually hidden).
 */
export type IconName = "chat" | "phone" | "bell" | "settings" | "lock" | "flag" | "at" | "user" | "back" | "check" | "alert" | "info";

const PATHS: Readonly<Record<IconName, string>> = {
  chat: "M4 5h16v11H9l-5 4z",
  phone: "M5 3h4l2 5-3 2a11 11 0 0 0 6 6l2-3 5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 3 5a2 2 0 0 1 2-2z",
  bell: "M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0",
  settings: "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1",
  lock: "M6 11h12v10H6zM8 11V7a4 4 0 0 1 8 0v4",
  flag: "M5 21V4M5 4h11l-2 4 2 4H5",
  at: "M16 12a4 4 0 1 1-8 0 4 4 0 0 1 8 0zM16 12v1.5a2.5 2.5 0 0 0 5 0V12a9 9 0 1 0-3.5 7.1",
  user: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0",
  back: "M15 5l-7 7 7 7",
  check: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM8 12.5l2.7 2.7L16 9.8",
  alert: "M12 3 2 20h20zM12 10v4M12 17.2v.1",
  info: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 11v5M12 7.8v.1",
};

export function Icon({ name, className }: { readonly name: IconName; readonly className?: string }) {
  return (
    <svg className={["icon", className].filter(Boolean).join(" ")} viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
