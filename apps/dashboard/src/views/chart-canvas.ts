import { css, html, LitElement, type PropertyValues } from 'lit';
import type { Chart } from 'chart.js';
import type { DashboardChart } from '../charts.ts';

let library: Promise<typeof import('../chart-js.ts')> | undefined;

/**
 * `<sc-chart>`: draws `config` with chart.js on a canvas labelled `label`. A new config replaces
 * the Chart (the old one is destroyed), and leaving the page destroys it too, so none is left
 * holding its canvas, listeners and resize observer.
 */
export class ChartCanvas extends LitElement {
  static override properties = { config: { attribute: false }, label: {} };

  declare config: DashboardChart | undefined;
  declare label: string;

  #chart: Chart<'bar' | 'line', Array<number | null>, string> | undefined;
  /** Bumped by every draw and destroy: a draw that finds it moved on while chart.js loaded gives up. */
  #generation = 0;

  /** The Chart on the canvas now, if any (the browser tests read its data). */
  get chart() {
    return this.#chart;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) void this.#draw();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#destroy();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('config')) void this.#draw();
  }

  async #draw(): Promise<void> {
    this.#destroy();
    const generation = this.#generation;
    const config = this.config;
    if (!config) return;
    const { Chart, SERIES_COLORS } = await (library ??= import('../chart-js.ts'));
    if (generation !== this.#generation || !this.isConnected) return;
    const reduceMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.#chart = new Chart(this.renderRoot.querySelector('canvas')!, {
      ...config,
      data: {
        ...config.data,
        datasets: config.data.datasets.map((dataset, index) => ({ backgroundColor: SERIES_COLORS[index % SERIES_COLORS.length], borderColor: SERIES_COLORS[index % SERIES_COLORS.length], ...dataset })),
      },
      options: { ...config.options, ...(reduceMotion ? { animation: false } : {}) },
    } as DashboardChart);
  }

  #destroy(): void {
    this.#generation++;
    this.#chart?.destroy();
    this.#chart = undefined;
  }

  override render() {
    return html`<div class="box"><canvas role="img" aria-label=${this.label}></canvas></div>`;
  }

  static override styles = css`
    :host {
      display: block;
    }
    /* chart.js sizes the canvas to this box (responsive, no fixed aspect ratio). */
    .box {
      position: relative;
      height: 16rem;
      min-width: 0;
    }
  `;
}
