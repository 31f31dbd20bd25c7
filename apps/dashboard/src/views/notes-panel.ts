import { css, html, type PropertyValues } from 'lit';
import type { SessionNoteDto } from '@streaming-companion/client';
import { field, formError, formValues } from '../fields.ts';
import { formatTime } from '../format.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

/** Timestamped notes for the live session ("raffle at 10pm", "regular X came back"). */
export class NotesPanel extends DashboardView {
  static override properties = {
    sessionId: { attribute: false },
    notes: { state: true },
  };

  declare sessionId: string;
  declare notes: SessionNoteDto[];

  constructor() {
    super();
    this.notes = [];
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('sessionId')) void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.notes = await this.client.sessions.notes(this.sessionId);
    } catch (error) {
      this.failed(error);
    }
  }

  async #add(event: SubmitEvent): Promise<void> {
    const form = event.target as HTMLFormElement;
    const { note } = formValues(event);
    if (!note) {
      this.errors = { fields: { note: 'Write something first.' } };
      return;
    }
    const added = await this.attempt({ text: { input: 'note', label: 'Note' } }, async () => {
      this.notes = [...this.notes, await this.client.sessions.addNote(this.sessionId, note)];
    });
    if (added) form.reset();
  }

  override render() {
    return html`<section class="panel" aria-labelledby="notes-title">
      <h2 id="notes-title">Notes</h2>
      ${this.notes.length
        ? html`<ol class="plain" aria-label="Session notes">
            ${this.notes.map(
              (n) => html`<li class="note">
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

  static override styles = [
    shared,
    css`
      .note {
        padding: 0.4rem 0;
        border-top: 1px solid var(--border);
        overflow-wrap: anywhere;
      }
    `,
  ];
}
