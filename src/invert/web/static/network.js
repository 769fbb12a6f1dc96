// The network view: draws the neighbourhood the server sends (/network.json) with Cytoscape.js,
// adds a node's ties when it is clicked, hides tie types whose box is unticked and highlights
// the shortest path between two chosen nodes. Ids and labels arrive already pseudonymised.
(function () {
  "use strict";
  const root = document.getElementById("network");
  if (!root) return;
  const status = document.getElementById("graph-status");
  if (typeof window.cytoscape !== "function") {
    status.textContent = "The graph library did not load: run make setup (npm ci) on the server.";
    return;
  }
  const COLOURS = {
    person: "#1f77b4", company: "#d62728", bank_account: "#2ca02c", address: "#9467bd",
    phone: "#8c564b", email: "#e377c2", ad: "#ff7f0e",
  };
  const cy = window.cytoscape({
    container: document.getElementById("graph"),
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "background-color": (n) => COLOURS[n.data("kind")] || "#7f7f7f",
        label: "data(label)", "font-size": 9, "text-wrap": "ellipsis", "text-max-width": 120,
        width: 18, height: 18 } },
      { selector: "node.start", style: { width: 28, height: 28, "border-width": 3,
        "border-color": "#000" } },
      { selector: "node.expanded", style: { "border-width": 2, "border-color": "#555" } },
      { selector: "edge", style: { width: 1.5, "line-color": "#aaa", "curve-style": "bezier",
        "target-arrow-shape": "triangle", "target-arrow-color": "#aaa", label: "data(type)",
        "font-size": 7, color: "#666" } },
      { selector: ".hidden", style: { display: "none" } },
      { selector: ".faded", style: { opacity: 0.2 } },
      { selector: ".path", style: { "line-color": "#e6a700", "target-arrow-color": "#e6a700",
        "background-color": "#e6a700", width: 4, opacity: 1 } },
    ],
  });
  window.invertGraph = cy; // for the browser tests and the developer console
  const hiddenTypes = new Set();

  async function fetchNeighbourhood(id, hops) {
    const url = `${root.dataset.source}?node=${encodeURIComponent(id)}&hops=${hops}`;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    return response.json();
  }

  function merge(data) {
    const added = [];
    for (const n of data.nodes) {
      if (cy.getElementById(n.id).empty()) added.push({ group: "nodes", data: n });
    }
    for (const e of data.edges) {
      if (cy.getElementById(e.id).empty()) added.push({ group: "edges", data: e });
    }
    cy.add(added);
    return added.length;
  }

  function typeBoxes() {
    const box = document.getElementById("edge-types");
    const types = [...new Set(cy.edges().map((e) => e.data("type")))].sort();
    for (const type of types) {
      if (box.querySelector(`input[value="${CSS.escape(type)}"]`)) continue;
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.value = type;
      input.checked = !hiddenTypes.has(type);
      input.addEventListener("change", () => {
        if (input.checked) hiddenTypes.delete(type); else hiddenTypes.add(type);
        applyFilter();
      });
      label.append(input, ` ${type}`);
      box.append(label);
    }
  }

  // Hide the unticked tie types, then every node left without a shown tie (but the start).
  function applyFilter() {
    cy.batch(() => {
      cy.elements().removeClass("hidden");
      cy.edges().filter((e) => hiddenTypes.has(e.data("type"))).addClass("hidden");
      cy.nodes().filter((n) => !n.hasClass("start") &&
        n.connectedEdges().not(".hidden").empty()).addClass("hidden");
    });
    refresh();
  }

  function refresh() {
    const nodes = cy.nodes().not(".hidden");
    document.getElementById("node-count").textContent = nodes.length;
    document.getElementById("edge-count").textContent = cy.edges().not(".hidden").length;
    root.dataset.nodes = nodes.length;
    for (const id of ["path-from", "path-to"]) {
      const select = document.getElementById(id);
      const chosen = select.value;
      select.replaceChildren(...nodes.sort((a, b) =>
        a.data("label").localeCompare(b.data("label"))).map((n) => {
        const option = document.createElement("option");
        option.value = n.id();
        option.textContent = n.data("label") || n.id();
        return option;
      }));
      if (chosen) select.value = chosen;
    }
  }

  function layout() {
    cy.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: 9000 }).run();
  }

  async function expand(node) {
    if (node.hasClass("expanded")) return;
    status.textContent = "Loading…";
    try {
      const added = merge(await fetchNeighbourhood(node.id(), 1));
      node.addClass("expanded");
      typeBoxes();
      applyFilter();
      if (added) layout();
      status.textContent = `${added} element(s) added around ${node.data("label")}.`;
    } catch (err) {
      status.textContent = `Could not load the ties: ${err.message}.`;
    }
  }

  function showPath() {
    const from = document.getElementById("path-from").value;
    const to = document.getElementById("path-to").value;
    const out = document.getElementById("path-status");
    clearPath();
    if (!from || !to || from === to) {
      out.textContent = "Pick two different nodes.";
      return;
    }
    const shown = cy.elements().not(".hidden");
    const found = shown.aStar({ root: `#${CSS.escape(from)}`, goal: `#${CSS.escape(to)}` });
    if (!found.found) {
      out.textContent = "No path between them among the ties shown; expand more nodes.";
      return;
    }
    cy.elements().addClass("faded");
    found.path.removeClass("faded").addClass("path");
    out.textContent = `${found.distance} tie(s) apart.`;
  }

  function clearPath() {
    cy.elements().removeClass("faded path");
    document.getElementById("path-status").textContent = "";
  }

  cy.on("tap", "node", (evt) => {
    const node = evt.target;
    const selected = document.getElementById("selected");
    selected.textContent = `${node.data("kind")}: ${node.data("label")} `;
    if (node.data("profile")) {
      const link = document.createElement("a");
      link.href = `/entity/${encodeURIComponent(node.id())}`;
      link.textContent = "open profile";
      selected.append(link);
    }
    expand(node);
  });
  document.getElementById("path-show").addEventListener("click", showPath);
  document.getElementById("path-clear").addEventListener("click", clearPath);

  fetchNeighbourhood(root.dataset.start, 1).then((data) => {
    merge(data);
    const start = cy.getElementById(root.dataset.start);
    start.addClass("start expanded");
    typeBoxes();
    applyFilter();
    layout();
    status.textContent = "Ready.";
    root.dataset.ready = "1";
  }).catch((err) => {
    status.textContent = `Could not load the network: ${err.message}.`;
  });
})();
