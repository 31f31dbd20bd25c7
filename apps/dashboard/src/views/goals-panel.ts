import { css, html, nothing, type PropertyValues } from 'lit';
import type { LiveConnection, TipGoal } from '@streaming-companion/client';
import { displayUnit } from '../display-unit.ts';
import { fieldMessage, noErrors, type FieldLabels } from '../errors.ts';
import { field, formError, formValues } from '../fields.ts';
import { amountExample, amountInputValue, amountUnitName, formatCents, parseAmountIn } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const LABELS: FieldLabels = {
  title: { input: 'title', label: 'Title' },
  targetCents: { input: 'target', label: 'Target' },
  description: { input: 'description', label: 'Description' },
};

/** The session's goals in order: create, edit, reorder, delete, and progress as tips land. */
export class GoalsPanel extends DashboardView {
  static override properties = {
    connection: { attribute: false },
    sessionId: { attribute: false },
    reloads: { attribute: false },
    goals: { state: true },
    editing: { state: true },
  };

  declare connection: LiveConnection | undefined;
  declare sessionId: string;
  declare reloads: number;
  declare goals: TipGoal[];
  /** The goal whose edit form is open. */
  declare editing: string | undefined;

  #stop: Array<() => void> = [];

  constructor() {
    super();
    this.goals = [];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop.forEach((stop) => stop());
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('sessionId') || changed.has('reloads')) void this.#load();
    if (changed.has('connection')) {
      this.#stop.forEach((stop) => stop());
      const connection = this.connection;
      this.#stop = connection
        ? [
            connection.on('goal_progress', (p) => {
              if (p.sessionId !== this.sessionId) return;
              this.goals = this.goals.map((g) => (g.id === p.goalId ? { ...g, currentCents: p.currentCents, percentage: p.percentage } : g));
            }),
            // Completion changes statuses down the list (the next goal becomes active): fetch them.
            connection.on('goal_completed', (p) => p.sessionId === this.sessionId && void this.#load()),
          ]
        : [];
    }
  }

  async #load(): Promise<void> {
    try {
      this.goals = await this.client.goals.list(this.sessionId);
    } catch (error) {
      this.failed(error);
    }
  }

  /**
   * Runs a change, then shows the list as the server has it. Busy lasts until the list is
   * fresh: the move buttons send positions, and on a stale list they would be wrong.
   */
  async #change(action: () => Promise<unknown>): Promise<boolean> {
    if (!(await this.attempt(LABELS, action))) return false;
    this.busy = true;
    await this.#load();
    this.busy = false;
    return true;
  }

  async #create(event: SubmitEvent): Promise<void> {
    const form = event.target as HTMLFormElement;
    const values = formValues(event);
    const targetCents = this.#target(values.target);
    if (targetCents === null) return;
    const ok = await this.#change(() =>
      this.client.goals.create({ sessionId: this.sessionId, title: values.title!, targetCents, description: values.description || undefined }),
    );
    if (ok) form.reset();
  }

  async #save(event: SubmitEvent, goal: TipGoal): Promise<void> {
    const values = formValues(event);
    const targetCents = this.#target(values.target);
    if (targetCents === null) return;
    if (await this.#change(() => this.client.goals.update(goal.id, { title: values.title, targetCents, description: values.description || null }))) {
      this.editing = undefined;
    }
  }

  /** The target typed in the display unit (dollars, or tokens), in cents. */
  #target(text: string | undefined): number | null {
    const cents = parseAmountIn(text ?? '')?.cents ?? null;
    if (cents === null || cents <= 0) {
      const example = displayUnit.current.kind === 'tokens' ? amountExample() : '100 or 49.99';
      this.errors = { fields: { target: fieldMessage('Target', `must be an amount like ${example}`) } };
      return null;
    }
    return cents;
  }

  override render() {
    return html`<section class="panel" aria-labelledby="goals-title">
      <h2 id="goals-title">Goals</h2>
      ${this.goals.length
        ? html`<ol class="plain" aria-label="Goals">
            ${this.goals.map((goal, index) => (this.editing === goal.id ? this.#editRow(goal) : this.#row(goal, index)))}
          </ol>`
        : html`<p class="empty">No goals yet. Add one and it fills as tips come in.</p>`}
      ${this.editing ? nothing : this.#createForm()}
    </section>`;
  }

  #row(goal: TipGoal, index: number) {
    const last = index === this.goals.length - 1;
    return html`<li class="goal ${goal.status}">
      <div class="line">
        <strong class="clip">${goal.title}</strong>
        <span class="badge ${goal.status === 'completed' ? 'good' : ''}">${goal.status}</span>
      </div>
      <div class="bar" role="progressbar" aria-label="${goal.title} progress" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${goal.percentage}>
        <!-- Through the CSSOM (the style property), not a style attribute, which the CSP refuses (styleMap sets the attribute on first render). -->
        <div .style=${`width: ${goal.percentage}%`}></div>
      </div>
      <div class="line muted">
        <span>${formatCents(goal.currentCents)} of ${formatCents(goal.targetCents)}</span><span>${Math.floor(goal.percentage)}%</span>
      </div>
      ${goal.description ? html`<p class="muted description">${goal.description}</p>` : nothing}
      <div class="row">
        <button class="small" aria-label="Move ${goal.title} up" ?disabled=${index === 0 || this.busy}
          @click=${() => this.#change(() => this.client.goals.move(goal.id, index - 1))}>↑</button>
        <button class="small" aria-label="Move ${goal.title} down" ?disabled=${last || this.busy}
          @click=${() => this.#change(() => this.client.goals.move(goal.id, index + 1))}>↓</button>
        <button class="small" aria-label="Edit ${goal.title}" @click=${() => ((this.editing = goal.id), (this.errors = noErrors))}>Edit</button>
        <button class="small danger" aria-label="Delete ${goal.title}" ?disabled=${this.busy}
          @click=${() => this.#change(() => this.client.goals.remove(goal.id))}>Delete</button>
      </div>
    </li>`;
  }

  #editRow(goal: TipGoal) {
    const e = this.errors.fields;
    return html`<li class="goal">
      <form aria-label="Edit goal" @submit=${(event: SubmitEvent) => this.#save(event, goal)} novalidate>
        ${field({ id: 'title', label: 'Title', value: goal.title, required: true, maxlength: 200, error: e.title })}
        ${field({ id: 'target', label: `Target (${amountUnitName()})`, value: amountInputValue(goal.targetCents), inputmode: 'decimal', required: true, error: e.target })}
        ${field({ id: 'description', label: 'Description (optional)', value: goal.description ?? '', maxlength: 2000, error: e.description })}
        ${formError(this.errors.form)}
        <div class="actions row">
          <button class="primary" type="submit" ?disabled=${this.busy}>Save goal</button>
          <button type="button" @click=${() => ((this.editing = undefined), (this.errors = noErrors))}>Cancel</button>
        </div>
      </form>
    </li>`;
  }

  #createForm() {
    const e = this.errors.fields;
    return html`<form class="create" aria-label="Add a goal" @submit=${this.#create} novalidate>
      <h3>Add a goal</h3>
      ${field({ id: 'title', label: 'Title', required: true, maxlength: 200, error: e.title })}
      ${field({ id: 'target', label: `Target (${amountUnitName()})`, inputmode: 'decimal', required: true, placeholder: amountInputValue(10_000), error: e.target })}
      ${field({ id: 'description', label: 'Description (optional)', maxlength: 2000, error: e.description })}
      ${formError(this.errors.form)}
      <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>Add goal</button></div>
    </form>`;
  }

  static override styles = [
    shared,
    css`
      .goal {
        padding: 0.75rem 0;
        border-top: 1px solid var(--border);
      }
      .line {
        font-size: 0.9rem;
      }
      .bar {
        height: 0.6rem;
        border-radius: 999px;
        background: var(--panel-2);
        margin: 0.4rem 0;
        overflow: hidden;
      }
      .bar div {
        height: 100%;
        background: linear-gradient(90deg, var(--accent), #ec4899);
        transition: width 0.6s ease;
      }
      .completed .bar div {
        background: var(--good);
      }
      .description {
        margin: 0.25rem 0;
        font-size: 0.85rem;
        overflow-wrap: anywhere;
      }
      .row {
        margin-top: 0.4rem;
      }
      .create {
        margin-top: 1rem;
        border-top: 1px solid var(--border);
        padding-top: 1rem;
      }
    `,
  ];
}
