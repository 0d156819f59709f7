/**
 * The data pipeline: Web Streams stages from CSV files to batches, modelled on `tf.data`.
 * No tfjs here. The flow, one file per stage, composed in `read_examples.ts` (stages 1–5),
 * `cached_stream.ts` (6) and `digit_batches.ts` (7–11):
 *
 * list_files → open_file → interleave → line_split_stream → csv_parse_stream (= read_examples)
 * → cached_stream (packed_examples) → select_rows_stream (split_rows) → shuffle_stream → augment_stream
 * → batch_stream (normalizes) → prefetch_stream (= digit_batches); during training
 * train/worker_training_feed.ts runs the chain in a Worker. Also here: the record types, seeded
 * random numbers, the CSV format and its sniffing, bad-row reports, `normalize_stream`,
 * `take_stream`/`skip_stream`/`repeat`, `collect_examples` and `inspect_file`.
 *
 * @module
 */
export * from "./types.ts";
export * from "./random.ts";
export * from "./csv_format.ts";
export * from "./bad_row.ts";
export * from "./sniff_csv_format.ts";
export * from "./list_files.ts";
export * from "./open_file.ts";
export * from "./interleave.ts";
export * from "./line_split_stream.ts";
export * from "./csv_row_parser.ts";
export * from "./csv_parse_stream.ts";
export * from "./read_examples.ts";
export * from "./collect_examples.ts";
export * from "./cached_stream.ts";
export * from "./packed_examples.ts";
export * from "./split_rows.ts";
export * from "./select_rows_stream.ts";
export * from "./normalize_stream.ts";
export * from "./augment_options.ts";
export * from "./augment_image.ts";
export * from "./augment_stream.ts";
export * from "./shuffle_buffer.ts";
export * from "./shuffle_stream.ts";
export * from "./batch_builder.ts";
export * from "./batch_stream.ts";
export * from "./prefetch_stream.ts";
export * from "./digit_batches.ts";
export * from "./repeat.ts";
export * from "./take_stream.ts";
export * from "./skip_stream.ts";
export * from "./inspect_file.ts";
