import { LitElement, type PropertyDeclarations } from 'lit';
import { ApiError, type StreamingCompanionClient } from '@streaming-companion/client';
import { displayUnit } from './display-unit.ts';
import { describeError, formErrors, noErrors, type CodeWords, type FieldLabels, type FormErrors } from './errors.ts';
import { shared } from './styles.ts';

/**
 * What every view shares: the client, its form's messages and busy state, turning errors into
 * words (a 401 signs out), and showing amounts again in the creator's display unit when it changes.
 */
export class DashboardView extends LitElement {
  static override properties: PropertyDeclarations = { client: { attribute: false }, errors: { state: true }, busy: { state: true } };
  static override styles = [shared];

  declare client: StreamingCompanionClient;
  declare errors: FormErrors;
  declare busy: boolean;

  #stopUnit: (() => void) | undefined;

  constructor() {
    super();
    this.errors = noErrors;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#stopUnit = displayUnit.subscribe(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopUnit?.();
  }

  /**
   * Runs what a button or form asked for. The old messages stay up while it runs, so the form
   * does not jump, and busy keeps a second click from sending it twice. `words` says some
   * refusals in this form's own terms.
   */
  protected async attempt(labels: FieldLabels, action: () => Promise<unknown>, words?: CodeWords): Promise<boolean> {
    this.busy = true;
    try {
      await action();
      this.errors = noErrors;
      return true;
    } catch (error) {
      this.errors = this.errorsFor(error, labels, words);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** For a failure that belongs to no input, such as loading. */
  protected failed(error: unknown): void {
    this.errors = { fields: {}, form: this.explain(error) };
  }

  protected explain(error: unknown): string {
    this.#signOutOn401(error);
    return describeError(error);
  }

  protected errorsFor(error: unknown, labels: FieldLabels, words?: CodeWords): FormErrors {
    this.#signOutOn401(error);
    return formErrors(error, labels, words);
  }

  #signOutOn401(error: unknown): void {
    if (error instanceof ApiError && error.status === 401 && error.code !== 'invalid_credentials') {
      this.dispatchEvent(new CustomEvent('unauthorized', { bubbles: true, composed: true }));
    }
  }
}
