import { DevMailboxView } from "../features/dev-mailbox/dev-mailbox-view.tsx";
import { Page } from "../platform/page.tsx";

export function DevMailboxPage() {
  return (
    <Page title="Development mailbox">
      <p className="muted">Mail the development server would have sent. Not available in production.</p>
      <DevMailboxView />
    </Page>
  );
}
