/** ECS's XML shape: an object is nested elements; an array repeats the element named for its key. */
export function toXmlElements(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => toXmlElements(name, item)).join("");
  if (value !== null && typeof value === "object") {
    const children = Object.entries(value as Record<string, unknown>)
      .map(([key, child]) => toXmlElements(key, child))
      .join("");
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${escapeXml(value === null || value === undefined ? "" : String(value))}</${name}>`;
}

export function xmlDocument(rootName: string, body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toXmlElements(rootName, body)}`;
}

/** XML 1.0 cannot carry some code points at all, not even as character references (control characters but tab and
 *  newlines, lone surrogates, U+FFFE and U+FFFF): they become U+FFFD so the document stays well-formed. */
const NOT_IN_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

function escapeXml(text: string): string {
  return text.replace(NOT_IN_XML, "\ufffd").replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
