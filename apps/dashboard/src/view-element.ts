import { LitElement, type PropertyDeclarations } from 'lit';
import { ApiError, type StreamingCompanionClient } from '@streaming-companion/sdk/client';
import { describeError, formErrors, type FieldLabels, type FormErrors } from './errors.ts';
import { shared } from './styles.ts';

/** What every view shares: the client, and turning errors into words (a 401 signs out). */
export class DashboardView extends LitElement {
  static override properties: PropertyDeclarations = { client: { attribute: false } };
  static override styles = [shared];

  declare client: StreamingCompanionClient;

  protected explain(error: unknown): string {
    this.#signOutOn401(error);
    return describeError(error);
  }

  protected errorsFor(error: unknown, labels: FieldLabels): FormErrors {
    this.#signOutOn401(error);
    return formErrors(error, labels);
  }

  #signOutOn401(error: unknown): void {
    if (error instanceof ApiError && error.status === 401 && error.code !== 'invalid_credentials') {
      this.dispatchEvent(new CustomEvent('unauthorized', { bubbles: true, composed: true }));
    }
  }
}
