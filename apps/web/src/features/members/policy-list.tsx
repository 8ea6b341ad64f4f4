import { useTranslation } from "react-i18next";

import { type MembersQuery } from "../../gql/graphql.ts";

/** A member's or an invitation's policies: "all" for an owner or admin, else the list (members page). */
export function PolicyList({
  role,
  policies,
}: {
  role: MembersQuery["members"][number]["role"];
  policies: readonly string[];
}) {
  const { t } = useTranslation("members");
  if (role !== "AGENT") return <span className="muted">{t("policyList.all")}</span>;
  if (policies.length === 0) return <span className="muted">{t("policyList.none")}</span>;
  return (
    <ul className="policy-list" aria-label={t("policyList.label")}>
      {policies.map((key) => (
        <li key={key}>
          <code>{key}</code>
        </li>
      ))}
    </ul>
  );
}
