import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

/**
 * chart.js with only what the dashboard draws (bars, lines, category and linear axes, tooltips,
 * a legend), so the rest is left out of the build. Loaded by `<sc-chart>` on first use: its own
 * chunk keeps the script every view needs small.
 */
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

const theme = getComputedStyle(document.documentElement);
const cssColor = (name: string) => theme.getPropertyValue(name).trim();

Chart.defaults.color = cssColor('--muted');
Chart.defaults.borderColor = cssColor('--border');
Chart.defaults.font.family = theme.fontFamily;
Chart.defaults.maintainAspectRatio = false;

/** The datasets' colours, in order: the dashboard's accent, then its "good" green. */
export const SERIES_COLORS = [cssColor('--accent'), cssColor('--good')];

export { Chart };
