// DOM helpers. Data is only ever written as text (textContent), never as HTML: record values are untrusted.

/**
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {(Node | string | number | null | undefined)[]} [children]
 */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A table cell; numbers right-aligned. @param {unknown} value @param {string} [className] */
export function cell(value, className) {
  const text = value === null || value === undefined ? '—' : String(value);
  const attrs = {};
  if (className !== undefined) attrs.class = className;
  else if (typeof value === 'number') attrs.class = 'num';
  return el('td', attrs, [text]);
}

/** Replaces the rows of a table body. @param {HTMLElement} tbody @param {HTMLElement[]} rows */
export function setRows(tbody, rows) {
  tbody.replaceChildren(...rows);
}

/** @param {string} id @returns {HTMLElement} */
export function byId(id) {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`no element #${id}`);
  return node;
}

/** Seconds in short words: 0.4 s, 12 s, 3 min 5 s, 2 h 4 min. @param {number} seconds */
export function age(seconds) {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
