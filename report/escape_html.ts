/**
 * Escapes text for HTML and SVG (XML) content and attribute values: `& < > " '` become numeric
 * character references.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { escapeHtml } from "./escape_html.ts";
 * assert.ok(escapeHtml(`<a href="x">'&'</a>`) === "&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
