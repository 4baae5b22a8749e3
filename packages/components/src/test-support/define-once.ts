/** Registers an element for a test unless its tag is taken (tests run before `define.ts` lists it). */
export function defineOnce(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
