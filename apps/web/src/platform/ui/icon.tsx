/**
 * The app's one icon set: Lucide (`lucide-react`, decision 0040), drawn inline as SVG in the text
 * colour, at the size of the text beside them (`.icon` in styles.css). Icons are decoration:
 * `aria-hidden`, never focusable; whatever one stands for is said in text beside it (visible, or
 * visually hidden, or the control's aria-label). Only the icons named here are bundled.
 */
import {
  ArrowRightLeft,
  AtSign,
  Bell,
  CalendarCheck,
  Check,
  ChevronDown,
  ChevronLeft,
  ChevronRight,
  CircleAlert,
  CircleCheck,
  Copy,
  ExternalLink,
  Flag,
  Inbox,
  Info,
  LoaderCircle,
  Lock,
  Megaphone,
  Menu,
  MessageSquare,
  Monitor,
  Moon,
  Phone,
  Plus,
  Search,
  Send,
  Settings,
  Sun,
  Trash2,
  TriangleAlert,
  User,
  Users,
  X,
  type LucideIcon,
} from "lucide-react";

const ICONS = {
  chat: MessageSquare,
  phone: Phone,
  bell: Bell,
  settings: Settings,
  lock: Lock,
  flag: Flag,
  at: AtSign,
  user: User,
  users: Users,
  back: ChevronLeft,
  forward: ChevronRight,
  check: CircleCheck,
  tick: Check,
  alert: TriangleAlert,
  error: CircleAlert,
  info: Info,
  close: X,
  "chevron-down": ChevronDown,
  plus: Plus,
  search: Search,
  copy: Copy,
  external: ExternalLink,
  trash: Trash2,
  inbox: Inbox,
  menu: Menu,
  loading: LoaderCircle,
  sun: Sun,
  moon: Moon,
  monitor: Monitor,
  send: Send,
  calendar: CalendarCheck,
  megaphone: Megaphone,
  "status-change": ArrowRightLeft,
} as const satisfies Readonly<Record<string, LucideIcon>>;

export type IconName = keyof typeof ICONS;

export function Icon({ name, className }: { readonly name: IconName; readonly className?: string }) {
  const Svg = ICONS[name];
  return (
    <Svg
      className={["icon", className].filter(Boolean).join(" ")}
      width={16}
      height={16}
      strokeWidth={2}
      aria-hidden="true"
      focusable="false"
    />
  );
}
