/**
 * The data pipeline: Web Streams stages from CSV files to batches, modelled on `tf.data`.
 * No tfjs here. The flow, one file per stage:
 *
 * list_files → open_file → interleave → line_split_stream → csv_parse_stream (= read_examples)
 * → shuffle_stream → augment_stream / normalize_stream → batch_stream (= to_batches)
 * → prefetch_stream or worker_batches (in a Worker).
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
export * from "./normalize_stream.ts";
export * from "./augment_options.ts";
export * from "./augment_image.ts";
export * from "./augment_stream.ts";
export * from "./shuffle_buffer.ts";
export * from "./shuffle_stream.ts";
export * from "./batch_builder.ts";
export * from "./batch_stream.ts";
export * from "./to_batches.ts";
export * from "./prefetch_stream.ts";
export * from "./worker_batches.ts";
export * from "./repeat.ts";
export * from "./take_stream.ts";
export * from "./skip_stream.ts";
export * from "./cache_stream.ts";
export * from "./inspect_file.ts";
