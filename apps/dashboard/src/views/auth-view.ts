import { css, html } from 'lit';
import { noErrors } from '../errors.ts';
import { field, formError, formValues } from '../fields.ts';
import { shared } from '../styles.ts';
import { DashboardView } from '../view-element.ts';

const LABELS = {
  email: { input: 'email', label: 'Email' },
  password: { input: 'password', label: 'Password' },
  displayName: { input: 'displayName', label: 'Display name' },
};

/** Log in or create an account; in SSO mode, explains where to sign in instead. */
export class AuthView extends DashboardView {
  static override properties = { mode: {}, view: {} };

  declare mode: 'local' | 'sso';
  declare view: 'login' | 'signup';

  constructor() {
    super();
    this.mode = 'local';
    this.view = 'login';
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('view')) this.errors = noErrors;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    const values = formValues(event);
    await this.attempt(LABELS, async () => {
      const result =
        this.view === 'signup'
          ? await this.client.auth.signup({ email: values.email!, password: values.password!, displayName: values.displayName! })
          : await this.client.auth.login({ email: values.email!, password: values.password! });
      this.dispatchEvent(new CustomEvent('signed-in', { detail: result, bubbles: true, composed: true }));
    });
  }

  override render() {
    if (this.mode === 'sso') {
      return html`<section class="panel" aria-labelledby="title">
        <h1 id="title">Sign in through your platform</h1>
        <p class="muted">This server signs creators in through your streaming platform. Open the dashboard from your platform's
          creator tools and you will arrive here signed in.</p>
      </section>`;
    }
    const signup = this.view === 'signup';
    const e = this.errors.fields;
    return html`<section class="panel" aria-labelledby="title">
      <h1 id="title">${signup ? 'Create your account' : 'Log in'}</h1>
      <form @submit=${this.#submit} novalidate>
        ${signup ? field({ id: 'displayName', label: 'Display name', autocomplete: 'nickname', required: true, maxlength: 80, error: e.displayName }) : ''}
        ${field({ id: 'email', label: 'Email', type: 'email', autocomplete: 'email', required: true, error: e.email })}
        ${field({
          id: 'password',
          label: 'Password',
          type: 'password',
          autocomplete: signup ? 'new-password' : 'current-password',
          required: true,
          hint: signup ? 'At least 10 characters.' : undefined,
          error: e.password,
        })}
        ${formError(this.errors.form)}
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy}>${signup ? 'Create account' : 'Log in'}</button>
        </div>
      </form>
      <p class="muted switch">
        ${signup ? html`Already have an account? <a href="#/login">Log in</a>` : html`New here? <a href="#/signup">Create an account</a>`}
      </p>
    </section>`;
  }

  static override styles = [
    shared,
    css`
      section {
        width: min(26rem, 92vw);
      }
      .switch {
        margin: 1rem 0 0;
      }
      a {
        color: var(--accent);
      }
    `,
  ];
}
