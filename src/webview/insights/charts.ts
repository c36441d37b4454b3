// The insights panel's two charts, drawn with Chart.js on <canvas>: runs per week of the top
// runbooks (a line each, told apart by colour, point shape and dash, not by colour alone) and
// hands-on hours per runbook (bars). Colours are the theme's chart colours, read from VS Code's
// CSS variables when drawn and again when the theme changes; with forced colours (Windows High
// Contrast) everything is drawn in the system's text colour. Each chart comes with the same
// numbers as a real table (chartTable), which is what screen readers and the keyboard get.

import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import type { InsightsCharts } from '../../core/insights/types';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

/** How many runbooks the hands-on chart draws; its table lists them all. */
export const HANDS_ON_BARS = 10;

const SERIES_COLOURS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const POINT_STYLES = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'star'] as const;
const DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4]];

interface Palette {
  text: string;
  grid: string;
  series: string[];
  font: string;
}

function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
}

/** The theme's colours now; a variable a theme leaves unset falls back to the text colour, which keeps contrast. */
function palette(): Palette {
  const font = cssVariable('--vscode-font-family') || 'sans-serif';
  if (matchMedia('(forced-colors: active)').matches) return { text: 'CanvasText', grid: 'GrayText', series: SERIES_COLOURS.map(() => 'CanvasText'), font };
  const text = cssVariable('--vscode-charts-foreground') || cssVariable('--vscode-foreground') || getComputedStyle(document.body).color;
  const grid = cssVariable('--vscode-charts-lines') || cssVariable('--vscode-panel-border') || text;
  // High-contrast themes draw every line in one strong colour when they give no chart colours.
  return { text, grid, series: SERIES_COLOURS.map((name) => cssVariable(name) || text), font };
}

function reducedMotion(): boolean {
  return matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** `2025-03-03` → `Mar 3` (weeks start on Mondays, UTC). */
export function weekLabel(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : date.toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

function baseOptions(colours: Palette) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: reducedMotion() ? (false as const) : { duration: 250 },
    color: colours.text,
    font: { family: colours.font },
    plugins: { legend: { labels: { color: colours.text, usePointStyle: true, font: { family: colours.font } } }, tooltip: { enabled: true } },
  };
}

function axis(colours: Palette, title: string) {
  return {
    ticks: { color: colours.text, font: { family: colours.font }, precision: 0 },
    grid: { color: colours.grid },
    border: { color: colours.grid },
    title: { display: title !== '', text: title, color: colours.text, font: { family: colours.font } },
    beginAtZero: true,
  };
}

function runsConfig(charts: InsightsCharts, colours: Palette): ChartConfiguration<'line'> {
  const { weeks, series } = charts.runsPerWeek;
  return {
    type: 'line',
    data: {
      labels: weeks.map(weekLabel),
      datasets: series.map((line, index) => {
        const colour = colours.series[index % colours.series.length];
        return {
          label: line.title,
          data: line.counts,
          borderColor: colour,
          backgroundColor: colour,
          pointStyle: POINT_STYLES[index % POINT_STYLES.length],
          pointRadius: 4,
          borderDash: DASHES[index % DASHES.length],
          borderWidth: 2,
          tension: 0,
        };
      }),
    },
    options: { ...baseOptions(colours), scales: { x: axis(colours, 'Week of'), y: axis(colours, 'Runs') } },
  };
}

function hoursConfig(charts: InsightsCharts, colours: Palette): ChartConfiguration<'bar'> {
  const bars = charts.handsOnHours.slice(0, HANDS_ON_BARS);
  const colour = colours.series[0];
  return {
    type: 'bar',
    data: { labels: bars.map((bar) => bar.title), datasets: [{ label: 'Hands-on hours', data: bars.map((bar) => bar.hours), backgroundColor: colour, borderColor: colours.text, borderWidth: 1 }] },
    options: { ...baseOptions(colours), indexAxis: 'y', plugins: { ...baseOptions(colours).plugins, legend: { display: false } }, scales: { x: axis(colours, 'Hours'), y: { ...axis(colours, ''), ticks: { color: colours.text, font: { family: colours.font }, autoSkip: false } } } },
  };
}

const drawn = new Map<HTMLCanvasElement, Chart>();

/** Draws (or draws again) the two charts on their canvases. */
export function drawCharts(charts: InsightsCharts, canvases: { runs: HTMLCanvasElement; hours: HTMLCanvasElement }): void {
  for (const chart of drawn.values()) chart.destroy();
  drawn.clear();
  const colours = palette();
  if (charts.runsPerWeek.series.length > 0) drawn.set(canvases.runs, new Chart(canvases.runs, runsConfig(charts, colours)));
  if (charts.handsOnHours.length > 0) drawn.set(canvases.hours, new Chart(canvases.hours, hoursConfig(charts, colours)));
}

/** Calls `redraw` when the theme changes (VS Code swaps the body's class and the root's variables). */
export function onThemeChange(redraw: () => void): void {
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      redraw();
    });
  };
  const observer = new MutationObserver(schedule);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  matchMedia('(forced-colors: active)').addEventListener('change', schedule);
  matchMedia('(prefers-reduced-motion: reduce)').addEventListener('change', schedule);
}
