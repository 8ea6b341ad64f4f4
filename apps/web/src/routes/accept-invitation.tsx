import { AcceptInvitation } from "../features/invitations/accept-invitation.tsx";
import { Page } from "../platform/page.tsx";

export function AcceptInvitationPage() {
  return (
    <Page title="Join a workspace" narrow>
      <AcceptInvitation />
    </Page>
  );
}
