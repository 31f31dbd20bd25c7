import { css } from 'lit';

/** The dashboard's building blocks (panels, forms, buttons), shared by every view. */
export const shared = css`
  :host {
    display: block;
  }
  * {
    box-sizing: border-box;
  }
  h1,
  h2,
  h3 {
    margin: 0 0 0.75rem;
    font-weight: 600;
  }
  h2 {
    font-size: 1.1rem;
  }
  h3 {
    font-size: 0.95rem;
    color: var(--muted);
  }
  .panel {
    background: var(--panel);
    border: 1px solid var(--border);
    border-radius: var(--radius);
    padding: 1rem 1.25rem;
  }
  .stack > * + * {
    margin-top: 1rem;
  }
  .row {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
  }
  .muted {
    color: var(--muted);
  }
  label {
    display: block;
    font-size: 0.85rem;
    color: var(--muted);
    margin-bottom: 0.25rem;
  }
  .field + .field {
    margin-top: 0.75rem;
  }
  input,
  select,
  textarea {
    width: 100%;
    font: inherit;
    color: var(--text);
    background: var(--panel-2);
    border: 1px solid var(--border);
    border-radius: 8px;
    padding: 0.55rem 0.7rem;
  }
  textarea {
    resize: vertical;
    min-height: 4rem;
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--bad);
  }
  .field.check {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  .field.check input {
    width: auto;
    margin: 0;
  }
  .field.check label {
    margin: 0;
    font-size: 0.9rem;
    color: var(--text);
  }
  fieldset {
    border: 1px solid var(--border);
    border-radius: 8px;
    margin: 0.75rem 0 0;
    padding: 0.5rem 0.75rem 0.75rem;
    min-width: 0;
  }
  legend {
    font-size: 0.85rem;
    color: var(--muted);
    padding: 0 0.25rem;
  }
  :focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    font-weight: 600;
    border-radius: 8px;
    border: 1px solid var(--border);
    background: var(--panel-2);
    color: var(--text);
    padding: 0.5rem 0.9rem;
    cursor: pointer;
  }
  button:hover {
    border-color: var(--muted);
  }
  button.primary {
    background: var(--accent);
    border-color: var(--accent);
    color: var(--accent-text);
  }
  button.danger {
    border-color: var(--bad);
    color: var(--bad);
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  button.small {
    padding: 0.25rem 0.55rem;
    font-size: 0.85rem;
  }
  .field-hint {
    font-size: 0.8rem;
    margin: 0.25rem 0 0;
  }
  .field-error,
  .form-error {
    color: var(--bad);
    font-size: 0.85rem;
    margin: 0.3rem 0 0;
  }
  .form-error {
    margin-top: 0.75rem;
  }
  .actions {
    margin-top: 1rem;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  ol.plain,
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .clip {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    min-width: 0;
  }
  .badge {
    display: inline-block;
    font-size: 0.75rem;
    font-weight: 600;
    padding: 0.1rem 0.5rem;
    border-radius: 999px;
    background: var(--panel-2);
    border: 1px solid var(--border);
    color: var(--muted);
  }
  .badge.live {
    color: #fff;
    background: #dc2626;
    border-color: #dc2626;
  }
  .badge.good {
    color: var(--good);
    border-color: var(--good);
  }
  .badge.rehearsal {
    color: var(--warn);
    border-color: var(--warn);
  }
  .empty {
    color: var(--muted);
    font-style: italic;
  }
  dl.figures {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr));
    gap: 0.75rem;
    margin: 0;
  }
  dl.figures dt {
    color: var(--muted);
    font-size: 0.8rem;
  }
  dl.figures dd {
    margin: 0;
    font-size: 1.25rem;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  .scroll {
    overflow-x: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.55rem 0.5rem;
    border-top: 1px solid var(--border);
    white-space: nowrap;
  }
  th {
    color: var(--muted);
    font-weight: 600;
    border-top: 0;
  }
  .num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }

  /* Two columns that stack on a narrow screen (a view sets --layout-columns / --pair-columns for other widths). */
  .layout {
    display: grid;
    grid-template-columns: var(--layout-columns, minmax(0, 1fr) minmax(0, 1fr));
    gap: 1rem;
    align-items: start;
  }
  .pair {
    display: grid;
    grid-template-columns: var(--pair-columns, minmax(0, 1fr) minmax(0, 1fr));
    gap: 0.75rem;
    margin: 0.75rem 0;
  }
  @media (max-width: 900px) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  @media (max-width: 640px) {
    .pair {
      grid-template-columns: minmax(0, 1fr);
    }
  }

  /* A row with its label at one end and its figure or actions at the other. */
  .line {
    display: flex;
    justify-content: space-between;
    gap: 0.75rem;
  }
  /* A refusal or a risk the creator should read before going on. */
  .warning {
    border: 1px solid var(--bad);
    border-radius: 8px;
    padding: 0.75rem;
    margin-top: 0.5rem;
  }
  .warning p {
    margin-top: 0;
  }
`;
