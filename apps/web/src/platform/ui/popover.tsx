/**
 * A button that opens a small panel beside it (Radix Popover): the panel is a non-modal dialog
 * named by its title; focus moves into it when it opens, Escape or a click outside closes it and
 * focus goes back to the button. `children` receives `close`, for a choice that should also shut
 * the panel (a link followed, "Mark all read" needs not).
 */
import * as RadixPopover from "@radix-ui/react-popover";
import { useId, useState, type ReactNode } from "react";

interface PopoverProps {
  /** The button's accessible name (e.g. "Notifications, 3 unread"). */
  readonly label: string;
  /** What the button shows (an icon, a count). */
  readonly trigger: ReactNode;
  readonly triggerClassName?: string;
  /** The panel's heading; it names the panel. */
  readonly title: string;
  /** Beside the title (e.g. "Mark all read"). */
  readonly titleAction?: ReactNode;
  readonly children: (close: () => void) => ReactNode;
  readonly align?: "start" | "center" | "end";
  readonly className?: string;
  readonly triggerProps?: { readonly [data: `data-${string}`]: string };
}

export function Popover({
  label,
  trigger,
  triggerClassName = "button",
  title,
  titleAction,
  children,
  align = "end",
  className,
  triggerProps,
}: PopoverProps) {
  const [open, setOpen] = useState(false);
  const titleId = useId();
  return (
    <RadixPopover.Root open={open} onOpenChange={setOpen}>
      <RadixPopover.Trigger className={triggerClassName} aria-label={label} {...triggerProps}>
        {trigger}
      </RadixPopover.Trigger>
      <RadixPopover.Portal>
        <RadixPopover.Content
          className={["popover", className].filter(Boolean).join(" ")}
          aria-labelledby={titleId}
          align={align}
          sideOffset={6}
          collisionPadding={8}
        >
          <div className="popover__head">
            <h2 className="popover__title" id={titleId}>
              {title}
            </h2>
            {titleAction}
          </div>
          {children(() => setOpen(false))}
        </RadixPopover.Content>
      </RadixPopover.Portal>
    </RadixPopover.Root>
  );
}
