import { html, type PropertyValues } from 'lit';
import type { SessionNoteDto } from '@streaming-companion/sdk/client';
import { noErrors, type FormErrors } from '../errors.ts';
import { field, formError, formValues } from '../fields.ts';
import { formatTime } from '../format.ts';
import { DashboardView } from '../view-element.ts';

/** Timestamped notes for the live session ("raffle at 10pm", "regular X came back"). */
export class NotesPanel extends DashboardView {
  static override properties = {
    sessionId: { attribute: false },
    notes: { state: true },
    errors: { state: true },
    busy: { state: true },
  };

  declare sessionId: string;
  declare notes: SessionNoteDto[];
  declare errors: FormErrors;
  declare busy: boolean;

  constructor() {
    super();
    this.notes = [];
    this.errors = noErrors;
    this.busy = false;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('sessionId')) void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.notes = await this.client.sessions.notes(this.sessionId);
    } catch (error) {
      this.errors = { fields: {}, form: this.explain(error) };
    }
  }

  async #add(event: SubmitEvent): Promise<void> {
    const form = event.target as HTMLFormElement;
    const { note } = formValues(event);
    if (!note) {
      this.errors = { fields: { note: 'Write something first.' } };
      return;
    }
    this.busy = true;
    try {
      this.notes = [...this.notes, await this.client.sessions.addNote(this.sessionId, note)];
      this.errors = noErrors;
      form.reset();
    } catch (error) {
      this.errors = this.errorsFor(error, { text: { input: 'note', label: 'Note' } });
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<section class="panel" aria-labelledby="notes-title">
      <h2 id="notes-title">Notes</h2>
      ${this.notes.length
        ? html`<ol class="plain" aria-label="Session notes">
            ${this.notes.map(
              (n) => html`<li style="padding:0.4rem 0;border-top:1px solid var(--border);overflow-wrap:anywhere">
                <time class="muted" datetime=${n.createdAt}>${formatTime(n.createdAt)}</time> ${n.text}
              </li>`,
            )}
          </ol>`
        : html`<p class="empty">No notes yet.</p>`}
      <form @submit=${this.#add} novalidate>
        ${field({ id: 'note', label: 'Note', multiline: true, maxlength: 5000, error: this.errors.fields.note })} ${formError(this.errors.form)}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>Add note</button></div>
      </form>
    </section>`;
  }
}
