import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';

/** Runs in every page and frame before its scripts: reports each CSP violation on the console, where the page's watcher collects it. */
const REPORT_CSP_VIOLATIONS = `
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error('[csp violation] ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' in ' + event.documentURI);
  });
`;
const VIOLATION = /\[csp violation\]|Content Security Policy/i;

/**
 * Fails each test of the calling file in which a page reported a Content-Security-Policy
 * violation. `context` is called on each browser context before it opens pages, `page` on each page.
 */
export function failOnCspViolations() {
  const violations: string[] = [];
  afterEach(() => {
    expect(violations.splice(0), 'Content-Security-Policy violations').toEqual([]);
  });
  return {
    context: (context: BrowserContext) => context.addInitScript(REPORT_CSP_VIOLATIONS),
    page: (page: Page) =>
      page.on('console', (message) => {
        if (VIOLATION.test(message.text())) violations.push(message.text());
      }),
  };
}
