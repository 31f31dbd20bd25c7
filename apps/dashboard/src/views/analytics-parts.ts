import { css, html, nothing } from 'lit';
import type { AnalyticsSummary, TopTipper } from '@streaming-companion/client';
import { displayUnit } from '../display-unit.ts';
import { formatCents, formatDateTime, formatDuration, formatTokens } from '../format.ts';

/** What the Analytics view and the session summary both show: figures, top tippers, goals reached, items sold. */

/** One figure of a `dl.figures`, with a smaller line under it when there is more to say (the amount in tokens, a share). */
export function figure(term: string, value: string, detail?: string) {
  return html`<div><dt>${term}</dt><dd>${value}${detail ? html`<small>${detail}</small>` : nothing}</dd></div>`;
}

/** An amount as a figure: money, and tokens under it when the figures are from one token platform (and amounts are not already in tokens). */
export const moneyFigure = (term: string, cents: number, tokens: number | undefined) =>
  figure(term, formatCents(cents), tokens === undefined || displayUnit.current.kind === 'tokens' ? undefined : formatTokens(tokens));

/**
 * Who gave most; the anonymous tips are one row, set apart. Names are viewer text, so Lit
 * shows them as text. `lastTip` adds when each last tipped (telling over a range, not in one session).
 */
export function tippersTable(tippers: TopTipper[], caption: string, lastTip: boolean) {
  if (!tippers.length) return html`<p class="empty">No tips yet.</p>`;
  const tokens = tippers.some((t) => t.totalTokens !== null);
  return html`<div class="scroll"><table>
    <caption class="visually-hidden">${caption}</caption>
    <thead><tr>
      <th scope="col">Tipper</th><th scope="col" class="num">Tips</th><th scope="col" class="num">Total</th>
      ${tokens ? html`<th scope="col" class="num">Tokens</th>` : nothing} ${lastTip ? html`<th scope="col">Last tip</th>` : nothing}
    </tr></thead>
    <tbody>
      ${tippers.map(
        (t) => html`<tr>
          <td class="clip name">${t.anonymous ? html`<em>${t.tipperName}</em>` : t.tipperName}</td>
          <td class="num">${t.tipCount}</td>
          <td class="num">${formatCents(t.totalCents)}</td>
          ${tokens ? html`<td class="num">${t.totalTokens === null ? '—' : formatTokens(t.totalTokens)}</td>` : nothing}
          ${lastTip ? html`<td>${formatDateTime(t.lastTipAt)}</td>` : nothing}
        </tr>`,
      )}
    </tbody>
  </table></div>`;
}

/** Goals reached, each with how far into its stream; with `dated`, also when (for a range of several sessions). */
export function goalsReached(goals: AnalyticsSummary['goals'], dated: boolean) {
  if (!goals.length) return html`<p class="empty">No goal reached.</p>`;
  return html`<ol class="plain rows" aria-label="Goals reached">
    ${goals.map((g) => {
      const into = g.secondsIntoSession === null ? undefined : `${formatDuration(g.secondsIntoSession)} into the stream`;
      const when = [dated ? formatDateTime(g.completedAt) : undefined, into].filter(Boolean).join(' · ');
      return html`<li>
        <div class="line"><strong class="clip">${g.title ?? 'Untitled goal'}</strong><span class="num">${formatCents(g.targetCents)}</span></div>
        <div class="muted detail">${when}</div>
      </li>`;
    })}
  </ol>`;
}

/** Menu items the tips bought: how many times, and for how much. */
export function itemsSold(items: AnalyticsSummary['menuItems']) {
  if (!items.length) return html`<p class="empty">Nothing from the menu sold.</p>`;
  return html`<ul class="plain rows" aria-label="Items sold">
    ${items.map(
      (item) => html`<li class="line">
        <span class="clip"><strong>${item.title}</strong> <span class="muted">× ${item.count}</span></span>
        <span class="num">${formatCents(item.revenueCents)}</span>
      </li>`,
    )}
  </ul>`;
}

export const analyticsStyles = css`
  dl.figures dd small {
    display: block;
    font-size: 0.8rem;
    font-weight: 400;
    color: var(--muted);
  }
  .rows li {
    padding: 0.5rem 0;
    border-top: 1px solid var(--border);
  }
  .detail {
    font-size: 0.85rem;
  }
  td.name {
    max-width: 12rem;
  }
`;
