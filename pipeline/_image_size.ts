/** `options.height`/`width`, or a square image of `pixels` pixels where they are left out. */
export function _imageSize(
  pixels: number,
  options: { height?: number | undefined; width?: number | undefined },
): { height: number; width: number } {
  const side = Math.round(Math.sqrt(pixels));
  return { height: options.height ?? side, width: options.width ?? side };
}
