import { css, html, nothing, type PropertyValues } from 'lit';
import type { PersonaDto, TemplateDto } from '@streaming-companion/client';
import { readTemplateForm, TEMPLATE_LABELS, triggerText, VARIABLE_HINTS } from '../chatbot-form.ts';
import { noErrors } from '../errors.ts';
import { field, formError, formValues, selectField } from '../fields.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const VARIABLES_HINT = `Variables: ${Object.entries(VARIABLE_HINTS)
  .map(([name, hint]) => `{${name}} ${hint}`)
  .join('; ')}.`;

/**
 * `<sc-persona-templates>`: a saved persona's replies. Each has a weight (its odds among the
 * replies that fit) and may be tied to one of the persona's triggers; add, edit in place, delete.
 * A template the server refuses (an unknown `{variable}`, say) shows its reason at the reply.
 */
export class PersonaTemplates extends DashboardView {
  static override properties = {
    persona: { attribute: false },
    templates: { state: true },
    editing: { state: true },
  };

  declare persona: PersonaDto;
  /** undefined while loading. */
  declare templates: TemplateDto[] | undefined;
  /** The template whose edit form is open. */
  declare editing: string | undefined;

  #loads = 0;

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('persona') && changed.get('persona')?.id !== this.persona.id) {
      this.templates = undefined;
      this.editing = undefined;
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    const load = ++this.#loads;
    try {
      const templates = await this.client.chatbot.templates.list(this.persona.id);
      if (load === this.#loads) this.templates = templates;
    } catch (error) {
      this.failed(error);
    }
  }

  /** Runs a change, then shows the replies as the server has them. */
  async #change(action: () => Promise<unknown>): Promise<boolean> {
    if (!(await this.attempt(TEMPLATE_LABELS, action))) return false;
    await this.#load();
    return true;
  }

  async #submit(event: SubmitEvent, template?: TemplateDto): Promise<void> {
    const form = event.target as HTMLFormElement;
    const read = readTemplateForm(formValues(event));
    if (!read.ok) {
      this.errors = { fields: read.fields };
      return;
    }
    const personaId = this.persona.id;
    const done = await this.#change(() =>
      template ? this.client.chatbot.templates.update(personaId, template.id, read.value) : this.client.chatbot.templates.create(personaId, read.value),
    );
    if (!done) return;
    if (template) this.editing = undefined;
    else form.reset();
  }

  override render() {
    return html`<h2>Replies</h2>
      <p class="muted">One is picked at random for each answer, more often the higher its weight; tie one to a trigger to use it only for
        that trigger.</p>
      ${this.#list()} ${this.editing ? nothing : this.#form()}`;
  }

  #list() {
    if (!this.templates) return this.errors.form ? nothing : html`<p class="muted" role="status">Loading…</p>`;
    if (!this.templates.length) return html`<p class="empty">No replies yet: add the first one below.</p>`;
    return html`<ol class="plain" aria-label="Replies of ${this.persona.name}">
      ${this.templates.map((template, i) =>
        this.editing === template.id
          ? html`<li class="template">${this.#form(template)}</li>`
          : html`<li class="template">
              <p class="text">${template.text}</p>
              <div class="row">
                <span class="badge">Weight ${template.weight}</span>
                <span class="badge">${this.#triggerName(template.triggerId)}</span>
                <span class="spacer"></span>
                <button class="small" aria-label="Edit reply ${i + 1}" @click=${() => ((this.editing = template.id), (this.errors = noErrors))}>Edit</button>
                <button class="small danger" aria-label="Delete reply ${i + 1}" ?disabled=${this.busy}
                  @click=${() => this.#change(() => this.client.chatbot.templates.delete(this.persona.id, template.id))}>Delete</button>
              </div>
            </li>`,
      )}
    </ol>`;
  }

  #triggerName(triggerId: string | null): string {
    if (!triggerId) return 'Any trigger';
    const trigger = this.persona.triggers.find((t) => t.id === triggerId);
    return trigger ? `For ${triggerText(trigger)}` : 'For a removed trigger';
  }

  /** The add form, or with a template the edit form in its place. */
  #form(template?: TemplateDto) {
    const e = this.errors.fields;
    const triggers = [{ value: '', label: 'Any trigger' }, ...this.persona.triggers.map((t) => ({ value: t.id, label: triggerText(t) }))];
    return html`<form class=${template ? 'edit' : 'create'} aria-label=${template ? 'Edit reply' : 'Add a reply'} novalidate
      @submit=${(event: SubmitEvent) => this.#submit(event, template)}>
      ${field({
        id: 'templateText',
        label: 'Reply',
        value: template?.text,
        multiline: true,
        maxlength: 500,
        placeholder: 'Thanks {senderName}! Tonight’s menu: {menu}',
        hint: VARIABLES_HINT,
        error: e.templateText,
      })}
      <div class="pair">
        ${field({ id: 'weight', label: 'Weight', value: String(template?.weight ?? 1), inputmode: 'numeric', error: e.weight })}
        ${selectField({ id: 'triggerId', label: 'For', options: triggers, value: template?.triggerId ?? '', error: e.triggerId })}
      </div>
      ${formError(this.errors.form)}
      <div class="actions row">
        <button class="primary" type="submit" ?disabled=${this.busy}>${template ? 'Save reply' : 'Add reply'}</button>
        ${template ? html`<button type="button" @click=${() => ((this.editing = undefined), (this.errors = noErrors))}>Cancel</button>` : nothing}
      </div>
    </form>`;
  }

  static override styles = [
    shared,
    css`
      .template {
        padding: 0.6rem 0;
        border-top: 1px solid var(--border);
      }
      .text {
        margin: 0 0 0.4rem;
        overflow-wrap: anywhere;
        white-space: pre-wrap;
      }
      .spacer {
        flex: 1;
      }
      .create {
        margin-top: 0.75rem;
        border-top: 1px solid var(--border);
        padding-top: 0.75rem;
      }
      .pair {
        --pair-columns: minmax(0, 1fr) minmax(0, 2fr);
        margin-bottom: 0;
      }
      .pair .field + .field {
        margin-top: 0;
      }
    `,
  ];
}
