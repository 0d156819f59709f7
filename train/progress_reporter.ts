/** One epoch's figures, as printed, saved in history.json and passed to `onEpoch`. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss and accuracy over the epoch's batches. */
  loss: number;
  acc: number;
  /** Validation loss and accuracy (absent without validation data). */
  val_loss?: number;
  val_acc?: number;
  /** Learning rate at the end of the epoch. */
  lr: number;
  /** Optimizer in use. */
  optimizer: string;
  /** Wall-clock seconds of the epoch (training and validation). */
  seconds: number;
  /** Training images per second. */
  imagesPerSecond: number;
  /** Busy time of the pipeline Worker over the epoch's wall time (absent in-process). */
  pipelineBusy?: number;
}

/** How progress is shown: a redrawn bar on a terminal, fixed lines, JSON lines, or nothing. */
export type ProgressMode = "bar" | "line" | "json" | "silent";

const BAR_WIDTH = 24;
const REDRAW_MS = 150;

/**
 * Prints training progress the way Keras does: on a terminal a bar per epoch with step count,
 * loss, accuracy, images/s and ETA, redrawn in place; otherwise one fixed-format line per epoch
 * (`epoch 3/20  loss 0.0812  acc 0.9751  val_loss 0.0351  val_acc 0.9902  lr 1.0e-3  41.2s  1234
 * img/s`); with `--json` one JSON object per epoch.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { ProgressReporter } from "./progress_reporter.ts";
 * const lines: string[] = [];
 * const p = new ProgressReporter({ mode: "line", epochs: 2, write: (t) => lines.push(t) });
 * p.epochEnd({ epoch: 1, loss: 0.5, acc: 0.9, lr: 1e-3, optimizer: "adam", seconds: 2, imagesPerSecond: 100 });
 * assert.ok(lines[0]!.startsWith("epoch 1/2  loss 0.5000  acc 0.9000"));
 * ```
 */
export class ProgressReporter {
  readonly mode: ProgressMode;
  readonly epochs: number;
  #write: (text: string) => void;
  #lastDraw = 0;

  constructor(options: { mode: ProgressMode; epochs: number; write?: (text: string) => void }) {
    this.mode = options.mode;
    this.epochs = options.epochs;
    const encoder = new TextEncoder();
    this.#write = options.write ?? ((text) => Deno.stdout.writeSync(encoder.encode(text)));
  }

  /** Picks the mode for this process: json when asked, a bar on a terminal, lines otherwise. */
  static modeFor(json: boolean): ProgressMode {
    if (json) return "json";
    return Deno.stdout.isTerminal() ? "bar" : "line";
  }

  /** Prints a free-form message; in json mode it goes to stderr (stdout is data). */
  info(text: string): void {
    if (this.mode === "bar" || this.mode === "line") this.#write(text + "\n");
    else if (this.mode === "json") console.error(text.replace(/^\n/, ""));
  }

  /** Called after each training step; redraws the bar at most every 150 ms. */
  step(p: {
    epoch: number;
    step: number;
    steps: number;
    loss: number;
    acc: number;
    imagesPerSecond: number;
    secondsLeft: number;
  }): void {
    if (this.mode !== "bar") return;
    const now = performance.now();
    if (now - this.#lastDraw < REDRAW_MS && p.step < p.steps) return;
    this.#lastDraw = now;
    const done = Math.min(BAR_WIDTH, Math.floor((BAR_WIDTH * p.step) / Math.max(1, p.steps)));
    const bar = "=".repeat(Math.max(0, done - 1)) + (done > 0 ? ">" : "") +
      ".".repeat(BAR_WIDTH - done);
    const width = String(p.steps).length;
    this.#write(
      `\r\x1b[2Kepoch ${p.epoch}/${this.epochs} [${bar}] ${
        String(p.step).padStart(width)
      }/${p.steps}` +
        `  loss ${p.loss.toFixed(4)}  acc ${p.acc.toFixed(4)}  ${
          Math.round(p.imagesPerSecond)
        } img/s` +
        `  ETA ${formatSeconds(p.secondsLeft)}`,
    );
  }

  /** Prints the epoch's summary line (or JSON object). */
  epochEnd(record: EpochRecord): void {
    if (this.mode === "silent") return;
    if (this.mode === "json") {
      this.#write(JSON.stringify({ ...record, epochs: this.epochs }) + "\n");
      return;
    }
    const prefix = this.mode === "bar" ? "\r\x1b[2K" : "";
    this.#write(prefix + formatEpochLine(record, this.epochs) + "\n");
  }
}

/** The fixed-format epoch line. */
export function formatEpochLine(r: EpochRecord, epochs: number): string {
  const parts = [
    `epoch ${r.epoch}/${epochs}`,
    `loss ${r.loss.toFixed(4)}`,
    `acc ${r.acc.toFixed(4)}`,
  ];
  if (r.val_loss !== undefined) parts.push(`val_loss ${r.val_loss.toFixed(4)}`);
  if (r.val_acc !== undefined) parts.push(`val_acc ${r.val_acc.toFixed(4)}`);
  parts.push(
    `lr ${r.lr.toExponential(1)}`,
    `${r.seconds.toFixed(1)}s`,
    `${Math.round(r.imagesPerSecond)} img/s`,
  );
  if (r.pipelineBusy !== undefined) parts.push(`worker ${Math.round(r.pipelineBusy * 100)}% busy`);
  return parts.join("  ");
}

/** A duration as `42s` or `3m07s` (minutes keep counting past an hour: `72m30s`); `?` if unknown. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const total = Math.max(0, Math.round(s));
  const m = Math.floor(total / 60);
  return m > 0 ? `${m}m${String(total % 60).padStart(2, "0")}s` : `${total}s`;
}
