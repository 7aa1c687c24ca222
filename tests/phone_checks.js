// Measures what a participant sees on a narrow screen; run by tests/test_phone.py with
// page.evaluate(). Returns a list of problems, each a short sentence naming the element.
// What counts (issue 14): nothing past the viewport's edges, no text outside its box or cut
// off by a box that clips, no two controls on top of each other, tap targets of 44x44 px,
// text fields with 16 px text, a normal line height for running text, and chart texts that
// are not shrunk below 8 px (a wider chart scrolls sideways in its own box instead).
(root) => {
  const MIN_TAP = 44;
  const MIN_CHART_TEXT = 8;
  const SLACK = 1.5; // sub-pixel rounding
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const scope = root ? document.querySelector(root) : document.body;
  if (!scope) return [`nothing matches ${root}`];

  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
    const cls = typeof el.className === "string" ? el.className.split(/\s+/).slice(0, 3).join(".") : "";
    return `<${el.tagName.toLowerCase()}${cls ? "." + cls : ""}> "${text.slice(0, 50)}"`;
  };
  const srOnly = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden") return true;
      if (s.position === "absolute" && e.offsetWidth <= 1 && e.offsetHeight <= 1) return true;
      if (e.getAttribute("aria-hidden") === "true" && e.closest("svg") === null) return true;
    }
    return false;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && !srOnly(el);
  };
  // Elements whose text is drawn inside a chart are SVG: the chart is checked as a whole.
  const inChart = (el) => el.closest("svg") !== null;
  // Inside a box that scrolls sideways (and is itself on screen) nothing is past the edge:
  // the box can be scrolled. Only charts and tables may be such boxes.
  const inScrollBox = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflowX === "auto" || s.overflowX === "scroll") {
        const b = e.getBoundingClientRect();
        return b.left >= -SLACK && b.right <= vw + SLACK;
      }
    }
    return false;
  };

  // 1. Nothing past the viewport (no sideways scrolling, nothing cut off at the edge).
  if (document.documentElement.scrollWidth > vw + SLACK) {
    problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} px > ${vw} px`);
  }
  const all = [...scope.querySelectorAll("*")].filter((el) => !inChart(el) || el.tagName === "svg");
  for (const el of all) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if ((r.right > vw + SLACK || r.left < -SLACK) && !inScrollBox(el)) {
      // Report the innermost offender only.
      const inner = [...el.children].some((c) => {
        const cr = c.getBoundingClientRect();
        return visible(c) && (cr.right > vw + SLACK || cr.left < -SLACK);
      });
      if (!inner) problems.push(`past the screen edge (${Math.round(r.left)}..${Math.round(r.right)} of ${vw}): ${describe(el)}`);
    }
  }

  // 2. Text outside its own box, or cut off by a box that clips.
  const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
  const textRects = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const parent = node.parentElement;
    if (!parent || inChart(parent) || !visible(parent)) continue;
    if (["OPTION", "SCRIPT", "STYLE", "TEXTAREA"].includes(parent.tagName)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((q) => q.width > 0.5 && q.height > 0.5);
    if (!rects.length) continue;
    const box = parent.getBoundingClientRect();
    for (const q of rects) {
      const loose = parent.tagName === "SELECT" ? 4 : SLACK;
      if (q.right > box.right + loose || q.left < box.left - loose) {
        problems.push(`text spills out of its box: ${describe(parent)}`);
        break;
      }
      let clipped = false;
      let scrolled = false; // inside a box that scrolls up and down: its height is no edge
      for (let e = parent; e && e !== document.body; e = e.parentElement) {
        const s = getComputedStyle(e);
        // A box that clips (hidden) cuts text off on any side; one that scrolls sideways
        // (auto) hides it past its right edge; scrolling up and down is fine.
        const clipsX = s.overflowX !== "visible";
        const clipsY = !scrolled && (s.overflowY === "hidden" || s.overflowY === "clip");
        if (s.overflowY === "auto" || s.overflowY === "scroll") scrolled = true;
        if (clipsX || clipsY) {
          const c = e.getBoundingClientRect();
          if ((clipsX && (q.right > c.right + SLACK || q.left < c.left - SLACK)) ||
              (clipsY && (q.bottom > c.bottom + 3 || q.top < c.top - 3))) {
            problems.push(`text cut off by ${describe(e).slice(0, 60)} ` +
              `(text ${Math.round(q.left)}..${Math.round(q.right)}, box ` +
              `${Math.round(c.left)}..${Math.round(c.right)}): ${describe(parent)}`);
            clipped = true;
            break;
          }
        }
      }
      if (clipped) break;
    }
    textRects.push({ parent, rects });
  }

  // 3. Text of one element drawn over the text of another.
  for (let i = 0; i < textRects.length; i++) {
    for (let j = i + 1; j < textRects.length; j++) {
      const a = textRects[i], b = textRects[j];
      if (a.parent.contains(b.parent) || b.parent.contains(a.parent)) continue;
      const hit = a.rects.some((p) => b.rects.some((q) =>
        Math.min(p.right, q.right) - Math.max(p.left, q.left) > 2 &&
        Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 4));
      if (hit) problems.push(`text over text: ${describe(a.parent)} and ${describe(b.parent)}`);
    }
  }

  // 4. Controls: on top of each other, too small to tap, text fields under 16 px.
  const controls = [...scope.querySelectorAll(
    "button, select, textarea, input, summary, a[href], [role=button], [tabindex='0']"
  )].filter((el) => visible(el) && !inChart(el));
  const target = (el) => {
    // The tappable area of a radio button or checkbox is its whole label row.
    if (el.tagName === "INPUT" && ["radio", "checkbox"].includes(el.type)) {
      return el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    }
    return el;
  };
  const targets = [...new Set(controls.map(target))];
  for (const el of targets) {
    const r = el.getBoundingClientRect();
    const inline = el.tagName === "A" && getComputedStyle(el).display === "inline" &&
      (el.parentElement.innerText || "").trim().length > (el.innerText || "").trim().length;
    if (!inline && (r.width < MIN_TAP - 0.5 || r.height < MIN_TAP - 0.5)) {
      problems.push(`tap target ${Math.round(r.width)}x${Math.round(r.height)} px: ${describe(el)}`);
    }
  }
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const a = targets[i], b = targets[j];
      if (a.contains(b) || b.contains(a)) continue;
      const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
      const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (w > 1 && h > 1) problems.push(`controls overlap: ${describe(a)} and ${describe(b)}`);
    }
  }
  for (const el of controls) {
    const typing = el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(el.type));
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (typing && size < 16) problems.push(`text field with ${size} px text: ${describe(el)}`);
  }

  // 5. Running text with a normal line height (not the 2x of widget labels).
  for (const { parent } of textRects) {
    const s = getComputedStyle(parent);
    const lh = parseFloat(s.lineHeight), fs = parseFloat(s.fontSize);
    if (!isNaN(lh) && lh / fs > 1.7 && !controls.includes(parent) && !parent.closest("button")) {
      problems.push(`line height ${Math.round(lh)} px for ${Math.round(fs)} px text: ${describe(parent)}`);
    }
  }
  // 6. Chart texts as shown: a chart shrunk to the screen shrinks its texts with it.
  for (const svg of scope.querySelectorAll("svg")) {
    const own = parseFloat(svg.getAttribute("width"));
    const shown = svg.getBoundingClientRect().width;
    if (!own || !shown || !visible(svg)) continue;
    const sizes = [...svg.querySelectorAll("text")]
      .filter((t) => t.textContent.trim())
      .map((t) => parseFloat(getComputedStyle(t).fontSize));
    if (!sizes.length) continue;
    const smallest = Math.min(...sizes) * shown / own;
    if (smallest < MIN_CHART_TEXT - 0.05) {
      const label = (svg.closest("[aria-label]") || svg).getAttribute("aria-label") || "";
      problems.push(`chart text shown at ${smallest.toFixed(1)} px (chart ${Math.round(own)} px ` +
        `wide, shown ${Math.round(shown)} px): "${label.slice(0, 50)}"`);
    }
  }
  return [...new Set(problems)];
}
