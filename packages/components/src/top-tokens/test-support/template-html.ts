import { render } from 'lit';
import type { TemplateResult } from 'lit';

/**
 * The children of a node as indented HTML lines: runs of text (which Lit
 * splits with marker comments) are joined and trimmed, comments left out.
 */
function serializeChildren(parent: Node, depth: number): string[] {
  const lines: string[] = [];
  let text = '';
  const flush = () => {
    const trimmed = text.replace(/\s+/g, ' ').trim();
    if (trimmed) lines.push('  '.repeat(depth) + trimmed);
    text = '';
  };
  for (const child of parent.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) text += child.textContent;
    else if (child instanceof Element) {
      flush();
      lines.push(...serializeElement(child, depth));
    }
  }
  flush();
  return lines;
}

/** One element as indented HTML, on one line when it holds only text. */
function serializeElement(element: Element, depth: number): string[] {
  const indent = '  '.repeat(depth);
  const tag = element.localName;
  const attributes = [...element.attributes]
    .map(({ name, value }) => (value === '' ? ` ${name}` : ` ${name}="${value}"`))
    .join('');
  const children = serializeChildren(element, depth + 1);
  const only = children.length === 1 ? children[0]!.trim() : undefined;
  if (children.length === 0) return [`${indent}<${tag}${attributes}></${tag}>`];
  if (only !== undefined && !only.startsWith('<'))
    return [`${indent}<${tag}${attributes}>${only}</${tag}>`];
  return [`${indent}<${tag}${attributes}>`, ...children, `${indent}</${tag}>`];
}

/**
 * Templates rendered and written out as indented HTML, one element per line:
 * what golden snapshots of the pure renderers compare.
 */
export function templateHtml(...templates: TemplateResult[]): string {
  const container = document.createElement('div');
  const lines = templates.flatMap((template) => {
    render(template, container);
    return serializeChildren(container, 0);
  });
  return `${lines.join('\n')}\n`;
}
