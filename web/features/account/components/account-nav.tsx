import type { MouseEvent } from "react";
import { useT } from "../../../i18n/i18n";

export interface AccountNavItem {
  /** The id of the section's heading (focusable, tabIndex -1). */
  target: string;
  label: string;
  children?: AccountNavItem[];
}

/**
 * "On this page": links to the account page's sections. A link moves focus to the section's
 * heading (and so scrolls to it) itself, so keyboard and screen-reader users land where sighted
 * users look (WCAG 2.4.3, 2.4.5), and no hash change reaches the router.
 */
export function AccountNav({ items }: { items: AccountNavItem[] }) {
  const t = useT();
  const jump = (event: MouseEvent<HTMLAnchorElement>, target: string) => {
    const heading = document.getElementById(target);
    if (heading === null) return;
    event.preventDefault();
    heading.focus();
    heading.scrollIntoView?.({ block: "start" });
  };
  const list = (entries: AccountNavItem[]) => (
    <ul>
      {entries.map((item) => (
        <li key={item.target}>
          <a href={`#${item.target}`} onClick={(event) => jump(event, item.target)}>
            {item.label}
          </a>
          {item.children && item.children.length > 0 ? list(item.children) : null}
        </li>
      ))}
    </ul>
  );
  return (
    <nav className="account-nav" aria-label={t("account.onThisPage")}>
      {list(items)}
    </nav>
  );
}
