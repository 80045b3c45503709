/**
 * The live snapshot of a running demixing study: replica 0's disks drawn on a canvas, frame after frame. A canvas
 * because a frame of 10^4 disks as SVG circles (the study's figures, src/figures) cost the page's main thread
 * 0.2-0.35 s to build, style and lay out, which a slow machine cannot repeat four times a second; here one path per
 * species is filled, and the element is reused from frame to frame. The figures of the result, drawn once at the end,
 * stay the study's SVG figures.
 */
import { MPL } from "../../src/figures/figure.js";
import { h } from "./dom.js";

/** Positions of a running replica: N x 2 row-major in the box [0, lx] x [0, ly], and which disks are cold. */
export interface DiskFrame {
  x: ArrayLike<number>;
  cold: ArrayLike<number>;
  box: [number, number];
}

/** Width of the drawing in CSS pixels (that of the study's scatter figures). */
const WIDTH = 420;
const MARGIN = 8;
/** Room for the tick labels: on the left (y) and below (x, then the axis label), CSS pixels. */
const LEFT = 34;
const RIGHT = 14;
const BOTTOM = 30;
const FONT = "11px DejaVu Sans, sans-serif";

/**
 * Tick values 0, step, 2 step, ... <= side: the step 1, 2 or 5 times a power of ten, the one nearest (in ratio) to a
 * fifth of the side, so 4 to 8 ticks along it.
 */
export function ticks(side: number): number[] {
  if (!(side > 0) || !Number.isFinite(side)) return [0];
  const raw = side / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  let step = p;
  for (const m of [2, 5, 10]) if (Math.abs(Math.log((m * p) / raw)) < Math.abs(Math.log(step / raw))) step = m * p;
  const out: number[] = [];
  for (let k = 0; k * step <= side * (1 + 1e-9); k++) out.push(k * step);
  return out;
}

/** A tick label: integers as they are, other values to 3 significant digits. */
const label = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3))));

export class LiveSnapshot {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly heading: HTMLElement;
  private readonly legend: HTMLElement;
  private title = "";

  constructor(caption: string) {
    this.canvas = h("canvas", { role: "img" });
    this.heading = h("div", { class: "live-title" });
    this.legend = h("span", {});
    this.element = h(
      "figure",
      { class: "live" },
      this.heading,
      this.canvas,
      h("figcaption", {}, this.legend, ` ${caption}`),
    );
  }

  /**
   * Draws `f` (disks of diameter `range`) under `title` (also the figure's accessible name), with the box's edges
   * ticked in units of the range (as the study's figures measure lengths).
   */
  draw(f: DiskFrame, range: number, title: string): void {
    const [lx, ly] = f.box;
    const n = f.cold.length;
    const inner = WIDTH - LEFT - RIGHT;
    const scale = inner / lx;
    const H = Math.round(inner * (ly / lx));
    const height = H + MARGIN + BOTTOM;
    const ratio = Math.max(1, Math.min(3, globalThis.devicePixelRatio || 1));
    const c = this.canvas;
    if (c.width !== Math.round(WIDTH * ratio) || c.height !== Math.round(height * ratio)) {
      c.width = Math.round(WIDTH * ratio);
      c.height = Math.round(height * ratio);
      c.style.width = `${WIDTH}px`;
      c.style.height = `${height}px`;
    }
    let cold = 0;
    for (let a = 0; a < n; a++) if (f.cold[a]) cold++;
    this.title = title;
    this.element.setAttribute("aria-label", title);
    this.heading.textContent = title;
    delete this.element.dataset.ended;
    const side = `${label(lx / range)} x ${label(ly / range)}`;
    this.canvas.setAttribute("aria-label", `${n - cold} hot and ${cold} cold disks in a box of ${side} ranges`);
    this.legend.replaceChildren(
      h("span", { class: "swatch", style: `background:${MPL.red}` }),
      ` hot disks (${n - cold}) `,
      h("span", { class: "swatch", style: `background:${MPL.blue}` }),
      ` cold disks (${cold});`,
    );
    const ctx = c.getContext("2d");
    if (!ctx) return; // no 2D context (a canvas-less test DOM): the title and legend still say what runs
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, WIDTH, height);
    const r = Math.max(0.8, 0.5 * range * scale);
    const rData = r / scale;
    ctx.save();
    // restored whatever happens: a frame that failed half-way leaves no clip behind for the next one
    try {
      ctx.beginPath();
      ctx.rect(LEFT, MARGIN, inner, H);
      ctx.clip();
      // The most numerous species first, so the rarer one stays visible (as the scatter figures draw them).
      const order = cold * 2 > n ? [1, 0] : [0, 1];
      for (const species of order) {
        ctx.beginPath();
        for (let a = 0; a < n; a++) {
          if ((f.cold[a] ? 1 : 0) !== species) continue;
          const x = f.x[2 * a];
          const y = f.x[2 * a + 1];
          // Periodic images of disks across the edges, so discs wrap around.
          const sx = x < rData ? lx : x > lx - rData ? -lx : 0;
          const sy = y < rData ? ly : y > ly - rData ? -ly : 0;
          this.disk(ctx, x, y, r, scale, H);
          if (sx !== 0) this.disk(ctx, x + sx, y, r, scale, H);
          if (sy !== 0) this.disk(ctx, x, y + sy, r, scale, H);
          if (sx !== 0 && sy !== 0) this.disk(ctx, x + sx, y + sy, r, scale, H);
        }
        ctx.fillStyle = species === 1 ? MPL.blue : MPL.red;
        ctx.fill();
        if (r > 2.5) {
          ctx.lineWidth = 0.5;
          ctx.strokeStyle = "rgba(0, 0, 0, 0.6)";
          ctx.stroke();
        }
      }
    } finally {
      ctx.restore();
    }
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#000";
    ctx.strokeRect(LEFT + 0.5, MARGIN + 0.5, inner - 1, H - 1);
    this.axes(ctx, lx / range, ly / range, range * scale, H);
  }

  /**
   * The run ended without a result (`why`: "the run was cancelled", ...): the frame stays, its title says that it is
   * the run's last (no figures follow).
   */
  ended(why: string): void {
    const title = `${this.title} (the last frame: ${why})`;
    this.element.setAttribute("aria-label", title);
    this.heading.textContent = title;
    this.element.dataset.ended = why;
  }

  /** Ticks and their labels (in ranges) on the bottom and left edges, and the axes' label with the box's sides. */
  private axes(ctx: CanvasRenderingContext2D, sx: number, sy: number, perRange: number, H: number): void {
    const xs = ticks(sx);
    const ys = ticks(sy);
    const bottom = MARGIN + H;
    ctx.beginPath();
    for (const v of xs) {
      const px = Math.round(LEFT + v * perRange) + 0.5;
      ctx.moveTo(px, bottom);
      ctx.lineTo(px, bottom + 4);
    }
    for (const v of ys) {
      const py = Math.round(bottom - v * perRange) + 0.5;
      ctx.moveTo(LEFT, py);
      ctx.lineTo(LEFT - 4, py);
    }
    ctx.stroke();
    ctx.fillStyle = "#000";
    ctx.font = FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const v of xs) ctx.fillText(label(v), LEFT + v * perRange, bottom + 5);
    ctx.fillText(`x, y (range); box ${label(sx)} x ${label(sy)}`, LEFT + (sx * perRange) / 2, bottom + 17);
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const v of ys) ctx.fillText(label(v), LEFT - 6, bottom - v * perRange);
  }

  private disk(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, scale: number, H: number): void {
    const px = LEFT + x * scale;
    const py = MARGIN + H - y * scale; // y up
    ctx.moveTo(px + r, py);
    ctx.arc(px, py, r, 0, 2 * Math.PI);
  }
}
