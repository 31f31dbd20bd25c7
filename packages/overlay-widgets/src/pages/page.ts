import { defineElement } from '../define.ts';
import { keyInQuery, pageAttributes } from '../page-options.ts';

/**
 * Shared by the overlay pages: copy the URL's options onto every `sc-*` element of the page
 * (before the elements are defined, so they connect once, with everything set), then define
 * the page's elements. Editing the fragment (a new key) applies it without a reload.
 */
export function startOverlayPage(elements: Record<string, CustomElementConstructor>): void {
  applyOptions();
  for (const [name, element] of Object.entries(elements)) defineElement(name, element);
  window.addEventListener('hashchange', applyOptions);
}

function applyOptions(): void {
  const attributes = pageAttributes(location.search, location.hash);
  if (keyInQuery(location.search)) {
    console.warn('[overlay] the overlay key in the query (?key=) is ignored: put it in the fragment, #key=<your overlay key>');
  }
  if (!attributes.has('overlay-key') && !attributes.has('session-id')) {
    // Only for whoever opens the browser source's dev tools: the stream shows nothing.
    console.warn('[overlay] no overlay key: add #key=<your overlay key> to the URL (or ?session=<session id>)');
  }
  for (const element of document.querySelectorAll<HTMLElement>('[data-overlay]')) {
    for (const [name, value] of attributes) element.setAttribute(name, value);
  }
}
