/**
 * Atrium's UI kit: accessible primitives from Radix, styled by the app's own tokens
 * (styles.css, light and dark), owned here (decision 0022). Import from this folder only.
 */
export { ConfirmDialog, Dialog } from "./dialog.tsx";
export { EmptyState } from "./empty-state.tsx";
export { DataTable, TruncatedText, useKeptData } from "./data-table.tsx";
export { usePageSize } from "./data-table-preferences.ts";
export { orderByOf } from "./data-table-sorting.ts";
export {
  type Column,
  type PageSizeChoice,
  type RowAttributes,
  type RowSelection,
  type ServerSort,
  type SortOrder,
} from "./data-table-types.ts";
export { FormActions } from "./form-actions.tsx";
export { Icon, type IconName } from "./icon.tsx";
export { Popover } from "./popover.tsx";
export { RowActions, type RowAction } from "./row-actions.tsx";
export { SearchMenu, type SearchMenuItem } from "./search-menu.tsx";
export { Skeleton, SkeletonList } from "./skeleton.tsx";
export { Switch } from "./switch.tsx";
export { Tabs, tabId, tabPanelProps, type TabItem } from "./tabs.tsx";
export { Toaster, toast, useToast, type ToastOptions, type ToastVariant } from "./toast.tsx";
export { CodeBlock, ScrollRegion, TableScroll } from "../scroll-region.tsx";
export { NavMenuButton, NavMenuProvider, NavMenuRegion } from "./nav-menu.tsx";
export { Button, buttonClass, type ButtonProps, type ButtonSize, type ButtonVariant } from "./button.tsx";
export { Checkbox, Input, Radio, TextField, type TextFieldProps } from "./text-field.tsx";
export { Select, SelectInput, type SelectProps } from "./select.tsx";
export { ErrorBanner, Field } from "../form-controls.tsx";
