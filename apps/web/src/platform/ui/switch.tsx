/** An on/off switch on Radix Switch (role="switch", aria-checked, Space and Enter toggle), labelled by its text. */
import * as RadixSwitch from "@radix-ui/react-switch";
import { useId, type ReactNode } from "react";

interface SwitchProps {
  readonly checked: boolean;
  readonly onCheckedChange: (checked: boolean) => void;
  readonly children: ReactNode;
  readonly disabled?: boolean;
}

export function Switch({ checked, onCheckedChange, children, disabled }: SwitchProps) {
  const id = useId();
  return (
    <div className="switch">
      <RadixSwitch.Root
        id={id}
        className="switch__track"
        checked={checked}
        onCheckedChange={onCheckedChange}
        disabled={disabled}
      >
        <RadixSwitch.Thumb className="switch__thumb" />
      </RadixSwitch.Root>
      <label htmlFor={id}>{children}</label>
    </div>
  );
}
