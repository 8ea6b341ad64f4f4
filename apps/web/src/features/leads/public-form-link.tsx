import { useTranslation } from "react-i18next";

import { CopyButton } from "../../platform/copy-button.tsx";

/** The public lead form of a workspace (SPEC W5): served by the API at /forms/<slug>, no sign-in. */
export function publicFormUrl(origin: string, slug: string): string {
  return `${origin}/forms/${encodeURIComponent(slug)}`;
}

export function PublicFormLink({ slug }: { slug: string }) {
  const { t } = useTranslation("leads");
  const url = publicFormUrl(window.location.origin, slug);
  return (
    <div className="share" data-testid="public-form-link">
      <span className="share__label">{t("publicForm.label")}</span>
      <a href={url} target="_blank" rel="noreferrer" className="share__url">
        {url}
      </a>
      <CopyButton text={url} label={t("publicForm.copy")} />
    </div>
  );
}
