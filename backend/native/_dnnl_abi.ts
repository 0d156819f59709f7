/**
 * The oneDNN 2.x C API facts the native backend relies on: enum values, argument ids and struct
 * sizes, as in oneDNN 2.6.3's dnnl_types.h. tests/backend/native/_dnnl_abi_test.ts compiles a
 * small C program against the installed headers and checks every value here.
 *
 * The 2.x API passes op descriptors as structs that `*_desc_init` fills; the kernels only ever
 * hand them back to oneDNN, so the sizes below are just how many bytes to allocate for them.
 */

/** Enum values and argument ids (names as in dnnl_types.h, without the `dnnl_` prefix). */
export const _DNNL = {
  success: 0,
  unimplemented: 3,
  // dnnl_engine_kind_t, stream flags
  cpu: 1,
  stream_default_flags: 1,
  // dnnl_data_type_t
  f32: 3,
  // dnnl_format_tag_t: the tag names the physical order of the logical (N, C, H, W) / (O, I, H, W)
  format_tag_any: 1,
  x: 2,
  nc: 3,
  nhwc: 20,
  hwio: 30,
  // dnnl_prop_kind_t
  forward_training: 64,
  forward_inference: 96,
  backward: 128,
  backward_data: 160,
  backward_weights: 192,
  // dnnl_alg_kind_t
  convolution_direct: 1,
  convolution_auto: 3,
  eltwise_relu: 0x1f,
  eltwise_elu: 0x3f,
  eltwise_relu_use_dst_for_bwd: 0x100,
  eltwise_elu_use_dst_for_bwd: 0x102,
  pooling_max: 0x1ff,
  // dnnl_normalization_flags_t
  use_global_stats: 0x1,
  use_scale: 0x8,
  use_shift: 0x10,
  // dnnl_query_t
  query_weights_md: 131,
  query_diff_weights_md: 132,
  query_workspace_md: 135,
  query_exec_arg_md: 255,
  // DNNL_ARG_*
  ARG_SRC: 1,
  ARG_DST: 17,
  ARG_WEIGHTS: 33,
  ARG_BIAS: 41,
  ARG_MEAN: 49,
  ARG_VARIANCE: 50,
  ARG_SCALE: 51,
  ARG_SHIFT: 52,
  ARG_WORKSPACE: 64,
  ARG_DIFF_SRC: 129,
  ARG_DIFF_DST: 145,
  ARG_DIFF_WEIGHTS: 161,
  ARG_DIFF_BIAS: 169,
  ARG_DIFF_SCALE: 255,
  ARG_DIFF_SHIFT: 256,
} as const;

/** Struct sizes in bytes (sizeof in oneDNN 2.6.3 on x86-64). */
export const _DNNL_SIZES = {
  dnnl_memory_desc_t: 696,
  dnnl_convolution_desc_t: 5976,
  dnnl_pooling_v2_desc_t: 3288,
  dnnl_batch_normalization_desc_t: 3496,
  dnnl_eltwise_desc_t: 1416,
  dnnl_exec_arg_t: 16,
  /** DNNL_MAX_NDIMS: a dnnl_dims_t is this many int64s. */
  DNNL_MAX_NDIMS: 12,
} as const;

/** Offset of `memory` in dnnl_exec_arg_t { int arg; dnnl_memory_t memory; }. */
export const _EXEC_ARG_MEMORY_OFFSET = 8;
