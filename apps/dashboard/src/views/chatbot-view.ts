import { css, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { PersonaDto } from '@streaming-companion/client';
import { levelText, triggerText } from '../chatbot-form.ts';
import { noErrors } from '../errors.ts';
import { formError } from '../fields.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

/**
 * The chatbot: the creator's personas by priority (switch on and off, edit, delete after
 * asking), the open persona's editor and its replies, and a panel to try a chat line on them.
 */
export class ChatbotView extends DashboardView {
  static override properties = {
    personas: { state: true },
    llmOffered: { state: true },
    editing: { state: true },
    confirmingDelete: { state: true },
  };

  /** Highest priority first; undefined while loading. */
  declare personas: PersonaDto[] | undefined;
  /**
   * Whether the server has a language model for personas to write with (`/api/chatbot/capabilities`),
   * which shows the model's toggle and prompt in the editor; false until it has answered.
   */
  declare llmOffered: boolean;
  /** The persona whose editor is open, `new` for a new one. */
  declare editing: string | undefined;
  /** The persona whose delete waits for a yes. */
  declare confirmingDelete: string | undefined;

  #loads = 0;

  constructor() {
    super();
    this.llmOffered = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    const load = ++this.#loads;
    try {
      const [personas, capabilities] = await Promise.all([this.client.chatbot.personas.list(), this.client.chatbot.capabilities()]);
      if (load === this.#loads) {
        this.personas = personas;
        this.llmOffered = capabilities.model;
      }
    } catch (error) {
      this.failed(error);
    }
  }

  async #change(action: () => Promise<unknown>): Promise<boolean> {
    if (!(await this.attempt({}, action))) return false;
    await this.#load();
    return true;
  }

  #saved = (event: CustomEvent<PersonaDto>) => {
    // Shown at once and kept open (a new one now saved, for its replies), then the list as the server orders it.
    const saved = event.detail;
    this.#loads++;
    this.personas = [...(this.personas ?? []).filter((p) => p.id !== saved.id), saved];
    this.editing = saved.id;
    void this.#load();
  };

  #open(id: string | undefined): void {
    this.editing = id;
    this.confirmingDelete = undefined;
    this.errors = noErrors;
  }

  async #delete(persona: PersonaDto): Promise<void> {
    if (!(await this.#change(() => this.client.chatbot.personas.delete(persona.id)))) return;
    this.confirmingDelete = undefined;
    if (this.editing === persona.id) this.editing = undefined;
  }

  override render() {
    const editing = this.editing === 'new' ? undefined : this.personas?.find((p) => p.id === this.editing);
    return html`<div class="layout">
      <div class="stack">
        <section class="panel" aria-labelledby="personas-title">
          <div class="line">
            <h1 id="personas-title">Chatbot</h1>
            <button class="primary" ?disabled=${this.editing === 'new'} @click=${() => this.#open('new')}>New persona</button>
          </div>
          <p class="muted">Personas answer chat during your streams: each listens for its triggers (a command, keywords, a pattern, a tip,
            an event) and replies with one of its replies. When several could answer, the highest priority does.</p>
          ${formError(this.errors.form)} ${this.#list()}
        </section>
        ${this.editing
          ? // One editor per persona: what was typed for another one (and not saved) is not carried over.
            keyed(
              this.editing,
              html`<section class="panel" aria-label="Persona">
                  <sc-persona-editor
                    .client=${this.client}
                    .persona=${editing}
                    .llmOffered=${this.llmOffered}
                    @persona-saved=${this.#saved}
                    @editor-closed=${() => this.#open(undefined)}
                  ></sc-persona-editor>
                </section>
                ${editing
                  ? html`<section class="panel" aria-label="Replies">
                      <sc-persona-templates .client=${this.client} .persona=${editing}></sc-persona-templates>
                    </section>`
                  : nothing}`,
            )
          : nothing}
      </div>
      <sc-chatbot-try .client=${this.client}></sc-chatbot-try>
    </div>`;
  }

  #list() {
    if (!this.personas) return this.errors.form ? nothing : html`<p class="muted" role="status">Loading…</p>`;
    if (!this.personas.length) return html`<p class="empty">No personas yet. Create one, give it a trigger like !menu and a reply.</p>`;
    return html`<ul class="plain" aria-label="Personas">
      ${this.personas.map((persona) => this.#row(persona))}
    </ul>`;
  }

  #row(persona: PersonaDto) {
    const level = levelText(persona.minLevel);
    const triggers = persona.triggers.map((trigger) => triggerText(trigger));
    return html`<li class="persona ${persona.enabled ? '' : 'off'} ${this.editing === persona.id ? 'open' : ''}">
      <div class="line">
        <strong class="clip">${persona.name}</strong>
        <span class="row tags">
          <span class="badge">Priority ${persona.priority}</span>
          <span class="badge ${persona.enabled ? 'good' : ''}">${persona.enabled ? 'On' : 'Off'}</span>
        </span>
      </div>
      <p class="muted details">${triggers.length ? triggers.join(' · ') : 'No triggers'}${level ? ` · ${level}` : ''}</p>
      <div class="row">
        <button class="small" aria-label="Edit ${persona.name}" @click=${() => this.#open(persona.id)}>Edit</button>
        <button class="small" aria-label="${persona.enabled ? 'Turn off' : 'Turn on'} ${persona.name}" ?disabled=${this.busy}
          @click=${() => this.#change(() => this.client.chatbot.personas.update(persona.id, { enabled: !persona.enabled }))}>${persona.enabled ? 'Turn off' : 'Turn on'}</button>
        <button class="small danger" aria-label="Delete ${persona.name}" ?disabled=${this.busy}
          @click=${() => ((this.confirmingDelete = persona.id), (this.errors = noErrors))}>Delete</button>
      </div>
      ${this.confirmingDelete === persona.id
        ? html`<div class="warning" role="alert">
            <p>Delete “${persona.name}” and its replies? It stops answering at once.</p>
            <div class="row">
              <button class="danger" ?disabled=${this.busy} @click=${() => this.#delete(persona)}>Yes, delete</button>
              <button @click=${() => (this.confirmingDelete = undefined)}>Keep it</button>
            </div>
          </div>`
        : nothing}
    </li>`;
  }

  static override styles = [
    shared,
    css`
      .layout {
        --layout-columns: minmax(0, 3fr) minmax(0, 2fr);
      }
      .line {
        align-items: center;
      }
      .line h1 {
        margin: 0;
      }
      .persona {
        padding: 0.75rem 0;
        border-top: 1px solid var(--border);
      }
      .persona.off strong {
        opacity: 0.6;
      }
      .persona.open strong {
        color: var(--accent);
      }
      .tags {
        flex-wrap: nowrap;
      }
      .details {
        margin: 0.3rem 0 0.4rem;
        font-size: 0.85rem;
        overflow-wrap: anywhere;
      }
    `,
  ];
}
