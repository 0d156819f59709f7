/** Precision, recall, F1 and support of one class. */
export interface ClassMetrics {
  /** TP / (TP + FP); 0 when the class was never predicted. */
  precision: number;
  /** TP / (TP + FN); 0 when the class never appears. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
  /** How many rows truly belong to the class. */
  support: number;
}

/** Averages of precision, recall and F1 over classes. */
export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

/** What `classificationMetrics` returns. */
export interface ClassificationMetrics {
  /** Fraction of rows on the diagonal (0 for an empty matrix). */
  accuracy: number;
  /** Number of rows counted. */
  total: number;
  perClass: ClassMetrics[];
  /** Unweighted mean over every class, including classes that never appear (scikit-learn's `macro`). */
  macro: AveragedMetrics;
  /** Mean weighted by support (scikit-learn's `weighted`). */
  weighted: AveragedMetrics;
}

/**
 * Per-class and averaged precision, recall and F1 from a confusion matrix (`matrix[true][pred]`).
 * A class with no true rows and no predictions scores 0 everywhere and still counts in the macro
 * average, as scikit-learn does with `zero_division=0`.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { classificationMetrics } from "./classification_metrics.ts";
 * const m = classificationMetrics([[2, 0], [1, 1]]);
 * assert.ok(m.accuracy === 0.75 && m.perClass[0]!.precision === 2 / 3);
 * ```
 */
export function classificationMetrics(matrix: number[][]): ClassificationMetrics {
  const k = matrix.length;
  const perClass: ClassMetrics[] = [];
  let total = 0;
  let correct = 0;
  for (let c = 0; c < k; c++) {
    const row = matrix[c]!;
    if (row.length !== k) {
      throw new RangeError(`confusion matrix row ${c} has ${row.length} columns, expected ${k}`);
    }
    const tp = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let t = 0; t < k; t++) predicted += matrix[t]![c]!;
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass.push({ precision, recall, f1, support });
    total += support;
    correct += tp;
  }
  const mean = (key: keyof AveragedMetrics, weighted: boolean): number => {
    if (k === 0) return 0;
    if (!weighted) return perClass.reduce((s, m) => s + m[key], 0) / k;
    return total === 0 ? 0 : perClass.reduce((s, m) => s + m[key] * m.support, 0) / total;
  };
  return {
    accuracy: total === 0 ? 0 : correct / total,
    total,
    perClass,
    macro: {
      precision: mean("precision", false),
      recall: mean("recall", false),
      f1: mean("f1", false),
    },
    weighted: {
      precision: mean("precision", true),
      recall: mean("recall", true),
      f1: mean("f1", true),
    },
  };
}
