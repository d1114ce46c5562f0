import { useEffect } from 'react';

/** The tab's title while a page is shown: what the page is, then the site, so tabs and
 * history entries tell pages apart (and screen readers announce where navigation led). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Starling` : 'Starling';
  }, [title]);
}
