import type { EntityManager } from '@streaming-companion/sdk';
import type { GoalsService } from '@streaming-companion/plugin-goals/contract';
import type { MenuService } from '@streaming-companion/plugin-menu/contract';
import type { TipDto } from '@streaming-companion/plugin-tips/contract';
import type { TemplateVariable } from './contract.ts';
import { viewerOf, type Occasion } from './occasion.ts';
import { capText } from './template-text.ts';

/** Longest value put in for a name or a title. */
const VALUE_MAX_LENGTH = 60;
/** Items and length of `{menu}`. */
const MENU_ITEMS = 6;
const MENU_MAX_LENGTH = 240;

/** The goals and menu plugins, when loaded: `{goal.*}` and `{menu}` have no value without them. */
export interface VariableSources {
  goals: GoalsService | undefined;
  menu: MenuService | undefined;
}

export const formatCents = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** A tip's amount as its viewers think of it: tokens when it came in tokens. */
export const formatTipAmount = (tip: Pick<TipDto, 'amountCents' | 'tokens'>) => (tip.tokens ? `${tip.tokens} tokens` : formatCents(tip.amountCents));

/**
 * The values of the template variables for one occasion, looked up when first asked for (the
 * goal and the menu cost a query) and kept. A variable without a value here (`{amount}` in
 * chat, `{goal.title}` with no goal) is null: templates using it are left out.
 */
export class ReplyVariables {
  readonly #em: EntityManager;
  readonly #occasion: Occasion;
  readonly #sources: VariableSources;
  readonly #known = new Map<TemplateVariable, Promise<string | null>>();
  #goalLookup: Promise<{ title: string; remainingCents: number } | null> | undefined;

  constructor(em: EntityManager, occasion: Occasion, sources: VariableSources) {
    this.#em = em;
    this.#occasion = occasion;
    this.#sources = sources;
  }

  value(name: TemplateVariable): Promise<string | null> {
    let value = this.#known.get(name);
    if (!value) this.#known.set(name, (value = this.#lookUp(name)));
    return value;
  }

  /** The values of `names`, or the first of them that has none. */
  async values(names: TemplateVariable[]): Promise<{ values: Map<TemplateVariable, string> } | { missing: TemplateVariable }> {
    const values = new Map<TemplateVariable, string>();
    for (const name of names) {
      const value = await this.value(name);
      if (value === null) return { missing: name };
      values.set(name, value);
    }
    return { values };
  }

  async #lookUp(name: TemplateVariable): Promise<string | null> {
    const occasion = this.#occasion;
    const tip = occasion.kind === 'tip' || occasion.kind === 'menu_item_purchased' ? occasion.tip : null;
    switch (name) {
      case 'senderName': {
        const viewer = viewerOf(occasion);
        return viewer ? capText(viewer.name, VALUE_MAX_LENGTH) : null;
      }
      case 'tipperName':
        return tip ? capText(tip.tipperName ?? 'Anonymous', VALUE_MAX_LENGTH) : null;
      case 'amount':
        return tip ? formatTipAmount(tip) : null;
      case 'goal.title': {
        const goal = await this.#goal();
        return goal && capText(goal.title, VALUE_MAX_LENGTH);
      }
      case 'goal.remaining': {
        const goal = await this.#goal();
        return goal && formatCents(goal.remainingCents);
      }
      case 'menu':
        return this.#menu();
    }
  }

  /** The goal a reply speaks of: the one just completed for a completion, the session's active goal otherwise. */
  #goal(): Promise<{ title: string; remainingCents: number } | null> {
    this.#goalLookup ??= (async () => {
      const { goals } = this.#sources;
      const occasion = this.#occasion;
      if (!goals || !occasion.sessionId) return null;
      if (occasion.kind === 'goal_completed') {
        const completed = (await goals.list(this.#em, occasion.creatorId, occasion.sessionId)).find((goal) => goal.id === occasion.goalId);
        return completed ? { title: completed.title, remainingCents: 0 } : null;
      }
      const active = await goals.activeGoal(this.#em, occasion.creatorId, occasion.sessionId);
      return active ? { title: active.title, remainingCents: Math.max(0, active.targetCents - active.currentCents) } : null;
    })();
    return this.#goalLookup;
  }

  async #menu(): Promise<string | null> {
    const { menu } = this.#sources;
    if (!menu) return null;
    const items = await menu.publicMenu(this.#em, this.#occasion.creatorId);
    if (!items.length) return null;
    const listed = items
      .slice(0, MENU_ITEMS)
      .map((item) => `${capText(item.title, VALUE_MAX_LENGTH)} ${item.priceTokens ? `${item.priceTokens} tokens` : formatCents(item.priceCents)}`);
    return capText(listed.join(' · ') + (items.length > MENU_ITEMS ? ' · …' : ''), MENU_MAX_LENGTH);
  }
}
