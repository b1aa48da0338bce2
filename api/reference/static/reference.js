// Filter the reference by a word: rows (fields, values) and whole types that do not match hide.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const filter = document.getElementById("filter");
  const sections = Array.from(document.querySelectorAll("main section.type"));
  const links = Array.from(document.querySelectorAll("nav li"));

  filter.addEventListener("input", () => {
    const word = filter.value.trim().toLowerCase();
    const shown = new Set();
    for (const section of sections) {
      const nameMatches = section.id.toLowerCase().includes(word);
      let rowsShown = 0;
      for (const row of section.querySelectorAll("tbody tr")) {
        const match = !word || nameMatches || row.textContent.toLowerCase().includes(word);
        row.hidden = !match;
        if (match) rowsShown += 1;
      }
      section.hidden = Boolean(word) && !nameMatches && rowsShown === 0;
      if (!section.hidden) shown.add(section.id);
    }
    for (const item of links) {
      const target = item.querySelector("a").getAttribute("href").slice(1);
      item.hidden = Boolean(word) && !shown.has(target);
    }
  });
});
