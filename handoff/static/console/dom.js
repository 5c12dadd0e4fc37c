/* Small DOM helpers shared by the console's views. */

export function $(id) { return document.getElementById(id); }

/** Set text only when it changed (no needless redraws, selections survive). */
export function setText(element, text) { if (element.textContent !== text) { element.textContent = text; } }

/** A new element: `props` may set className, text, and attrs ({name: value}). */
export function el(tag, props = {}) {
  const node = document.createElement(tag);
  if (props.className) { node.className = props.className; }
  if (props.text !== undefined) { node.textContent = props.text; }
  Object.keys(props.attrs || {}).forEach(function (name) { node.setAttribute(name, props.attrs[name]); });
  return node;
}

/** The line under the header for what just happened. */
export function say(text) { $("status").textContent = text; }

/** A recovered error clears its own message, not one written since. */
export function clearStatus(prefix) { if ($("status").textContent.startsWith(prefix)) { say(""); } }

/** Rows keyed by data-conversation-id, to update in place rather than redraw. */
export function rowsById(list) {
  const rows = {};
  Array.prototype.forEach.call(list.children, function (row) { rows[row.getAttribute("data-conversation-id")] = row; });
  return rows;
}

/** Put `row` at `index` (if not already there). */
export function placeAt(list, row, index) {
  if (list.children[index] !== row) { list.insertBefore(row, list.children[index] || null); }
}
