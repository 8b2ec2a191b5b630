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

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
