/** The properties a drawing's look depends on, written into the standalone file. */
const PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-opacity',
  'stroke-width',
  'stroke-linecap',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
] as const;

/**
 * Serialises an SVG drawn in a shadow root as a file that looks the same
 * anywhere: each distinct computed style (custom properties and shadow
 * styles do not travel) becomes one rule of an embedded stylesheet, so a
 * graph of tens of thousands of marks stays compact; `background` fills
 * the canvas. The SVG must be in the document, hidden or not.
 *
 * @param svg - The drawing; left unchanged.
 * @param background - A CSS colour for the file's background.
 * @example
 * const text = standaloneSvg(shadowRoot.querySelector('svg')!, 'white');
 */
export function standaloneSvg(svg: SVGSVGElement, background: string): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  // Marks of the same kind share a style: compute it once per kind.
  const byKind = new Map<string, string>();
  const rules = new Map<string, string>();
  originals.forEach((original, i) => {
    const kind = `${original.tagName} ${original.getAttribute('class')} ${original.parentElement?.getAttribute('class')}`;
    let style = byKind.get(kind);
    if (style === undefined) {
      const computed = getComputedStyle(original);
      style = PROPERTIES.map((name) => `${name}:${computed.getPropertyValue(name)}`).join(';');
      byKind.set(kind, style);
    }
    let rule = rules.get(style);
    if (rule === undefined) {
      rule = `s${rules.size}`;
      rules.set(style, rule);
    }
    copies[i]!.classList.add(rule);
  });
  const css = [...rules].map(([style, rule]) => `.${rule}{${style}}`).join('\n');
  const namespace = 'http://www.w3.org/2000/svg';
  const sheet = document.createElementNS(namespace, 'style');
  sheet.textContent = css;
  const fill = document.createElementNS(namespace, 'rect');
  fill.setAttribute('width', '100%');
  fill.setAttribute('height', '100%');
  fill.setAttribute('fill', background);
  copy.prepend(sheet, fill);
  copy.setAttribute('xmlns', namespace);
  copy.removeAttribute('part');
  copy.removeAttribute('aria-hidden');
  // Lit's template markers are noise in a file.
  const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const comment of comments) comment.parentNode?.removeChild(comment);
  return new XMLSerializer().serializeToString(copy);
}
