import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';

export interface FieldOptions {
  id: string;
  label: string;
  error?: string;
  type?: string;
  value?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: 'decimal' | 'numeric' | 'text' | 'email';
  placeholder?: string;
  maxlength?: number;
  hint?: string;
  multiline?: boolean;
}

/** A labelled input with its error right under it, tied together for screen readers. */
export function field(o: FieldOptions) {
  const describedBy = [o.hint ? `${o.id}-hint` : '', o.error ? `${o.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    invalid: o.error ? 'true' : 'false',
    describedBy,
  };
  return html`<div class="field">
    <label for=${o.id}>${o.label}</label>
    ${o.multiline
      ? html`<textarea
          id=${o.id}
          name=${o.id}
          ?required=${o.required}
          maxlength=${ifDefined(o.maxlength)}
          placeholder=${ifDefined(o.placeholder)}
          aria-invalid=${common.invalid}
          aria-describedby=${ifDefined(common.describedBy)}
          .value=${o.value ?? ''}
        ></textarea>`
      : html`<input
          id=${o.id}
          name=${o.id}
          type=${o.type ?? 'text'}
          ?required=${o.required}
          autocomplete=${ifDefined(o.autocomplete)}
          inputmode=${ifDefined(o.inputmode)}
          maxlength=${ifDefined(o.maxlength)}
          placeholder=${ifDefined(o.placeholder)}
          aria-invalid=${common.invalid}
          aria-describedby=${ifDefined(common.describedBy)}
          .value=${o.value ?? ''}
        />`}
    ${o.hint ? html`<p class="muted field-hint" id="${o.id}-hint">${o.hint}</p>` : nothing}
    ${o.error ? html`<p class="field-error" id="${o.id}-error">${o.error}</p>` : nothing}
  </div>`;
}

/** The form-level message, announced when it appears. */
export const formError = (message: string | undefined) => (message ? html`<p class="form-error" role="alert">${message}</p>` : nothing);

/** A submitted form's text fields, trimmed. */
export function formValues(event: SubmitEvent): Record<string, string> {
  event.preventDefault();
  return valuesOf(event.target as HTMLFormElement);
}

function valuesOf(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v).trim()]));
}

/**
 * Clear a form once what it sent went through, unless the creator has typed the next entry
 * while it was on its way (the live figures it changed can arrive before the answer does).
 */
export function resetUnlessEdited(form: HTMLFormElement, sent: Record<string, string>): void {
  const now = valuesOf(form);
  if (Object.entries(sent).every(([name, value]) => now[name] === value)) form.reset();
}

export interface SelectOptions {
  id: string;
  label: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  value?: string;
  error?: string;
  hint?: string;
  /** Called with the chosen value, for forms that show other inputs by the choice. */
  onChange?: (value: string) => void;
}

/** A labelled select, with its hint and error tied to it like `field`'s. */
export function selectField(o: SelectOptions) {
  const describedBy = [o.hint ? `${o.id}-hint` : '', o.error ? `${o.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return html`<div class="field">
    <label for=${o.id}>${o.label}</label>
    <select
      id=${o.id}
      name=${o.id}
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy)}
      @change=${o.onChange ? (e: Event) => o.onChange!((e.target as HTMLSelectElement).value) : undefined}
    >
      ${repeat(
        o.options,
        // Keyed, so an option added or removed (an upload) leaves the others' elements, and what the creator picked, where they were.
        (option) => option.value,
        (option) => html`<option value=${option.value} ?selected=${option.value === (o.value ?? '')}>${option.label}</option>`,
      )}
    </select>
    ${o.hint ? html`<p class="muted field-hint" id="${o.id}-hint">${o.hint}</p>` : nothing}
    ${o.error ? html`<p class="field-error" id="${o.id}-error">${o.error}</p>` : nothing}
  </div>`;
}

/**
 * A checkbox with its label beside it; submitted as `on` when ticked (absent from the form's
 * values otherwise). `onChange` is for forms that show other inputs while it is ticked.
 */
export function checkboxField(o: { id: string; label: string; checked: boolean; onChange?: (checked: boolean) => void }) {
  return html`<div class="field check">
    <input
      id=${o.id}
      name=${o.id}
      type="checkbox"
      .checked=${o.checked}
      @change=${o.onChange ? (e: Event) => o.onChange!((e.target as HTMLInputElement).checked) : undefined}
    />
    <label for=${o.id}>${o.label}</label>
  </div>`;
}
