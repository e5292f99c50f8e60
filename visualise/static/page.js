/* The page's behaviour: the network, search, filters, the findings panel, readable labels. */
(function () {
  "use strict";
  const nodes = new vis.DataSet(DATA.nodes);
  const edges = new vis.DataSet(DATA.edges);
  const container = document.getElementById("network");
  const network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  const LARGE = 300;          // above this, labels are grouped into clusters
  const READABLE = 11;        // pixels: the smallest label the first view draws
  const state = {check: "", severity: "", label: "", focus: null, focusOf: 0};
  window.network = network;
  window.aimsgraph = {nodes: nodes, edges: edges, kind: DATA.kind, stable: false,
                      clusters: []};

  /* The first view: everything fitted; if that makes labels too small to read, zoom in
     on the nodes with findings (or the highlighted ones) until labels are readable. */
  function firstView() {
    if (state.focus) {  /* a focused gap page lays what it shows out as a grid, readable */
      arrange(state.focus);
      network.fit({nodes: state.focus, animation: false});
      network.moveTo({scale: network.getScale() * 0.9, animation: false});
      window.aimsgraph.stable = true;
      return;
    }
    network.fit({animation: false});
    /* fit() frames the nodes' centres: a margin keeps the labels at the edges whole */
    network.moveTo({scale: network.getScale() * 0.9, animation: false});
    const scale = network.getScale();
    if (nodes.length <= LARGE && scale * 14 < READABLE) {
      const focus = nodes.get({filter: function (n) { return n.gap || n.highlighted; }});
      const ids = (focus.length ? focus : nodes.get()).map(function (n) { return n.id; });
      const at = network.getPositions(ids);
      let x = 0, y = 0;
      ids.forEach(function (id) { x += at[id].x; y += at[id].y; });
      network.moveTo({position: {x: x / ids.length, y: y / ids.length},
                      scale: READABLE / 14, animation: false});
    }
    if (nodes.length > LARGE) { cluster(); }
    window.aimsgraph.stable = true;
  }
  if (DATA.options.physics && DATA.options.physics.enabled !== false) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      firstView();
    });
  } else {
    network.once("afterDrawing", firstView);
  }

  /* Large views: nodes without findings grouped by label into clusters that open on click. */
  function cluster() {
    const at = network.getPositions();
    const ids = Object.keys(at);
    const xs = ids.map(function (id) { return at[id].x; });
    const ys = ids.map(function (id) { return at[id].y; });
    const cx = (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2;
    const cy = (Math.min.apply(null, ys) + Math.max.apply(null, ys)) / 2;
    const radius = 0.35 * Math.min(Math.max.apply(null, xs) - Math.min.apply(null, xs),
                                   Math.max.apply(null, ys) - Math.min.apply(null, ys)) || 300;
    const labels = Array.from(new Set(nodes.map(function (n) { return n.node_type; }))).sort();
    labels.forEach(function (label) {
      const members = nodes.get({filter: function (n) {
        return n.node_type === label && !n.gap && !n.highlighted; }});
      if (members.length < 5) { return; }
      const first = members[0];
      network.cluster({
        joinCondition: function (n) { return n.node_type === label && !n.gap && !n.highlighted; },
        clusterNodeProperties: {id: "cluster:" + label, label: label + " (" + members.length +
          ")\nclick to open", shape: first.shape, color: first.color,
          size: Math.max(30, radius * 0.06),
          widthConstraint: false,
          font: Object.assign({}, first.font, {size: Math.max(16, radius * 0.045)}),
          borderWidth: 2, physics: false,
          title: members.length + " " + label + " nodes without findings; click to open"}});
      window.aimsgraph.clusters.push("cluster:" + label);
    });
    /* A cluster sits where its members' average is, near the middle for all of them:
       spread the clusters on a circle instead. */
    window.aimsgraph.clusters.forEach(function (id, index) {
      const angle = 2 * Math.PI * index / window.aimsgraph.clusters.length;
      network.moveNode(id, cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
    });
    network.fit({animation: false});
  }

  /* Focus: select, centre and zoom to a node, and fade what is not next to it. */
  const original = {};
  nodes.forEach(function (n) { original[n.id] = n.opacity === undefined ? 1 : n.opacity; });
  function highlight(id) {
    const keep = new Set(id === null ? [] : network.getConnectedNodes(id).concat([id]));
    nodes.update(nodes.map(function (n) {
      return {id: n.id, opacity: id === null || keep.has(n.id) ? original[n.id] : 0.15};
    }));
    window.aimsgraph.highlighted = id === null ? [] : Array.from(keep);
  }
  /* The focused first view: its nodes in rows (the layout of the whole graph scatters them),
     their places in the whole layout kept to go back to. */
  const GRID = {columns: 6, dx: 175, dy: 125};
  function arrange(ids) {
    state.places = network.getPositions(ids);
    /* dynamic curves hang on support points the layout placed: straight lines in rows */
    network.setOptions({edges: {smooth: false}});
    ids.forEach(function (id, i) {
      network.moveNode(id, (i % GRID.columns) * GRID.dx, Math.floor(i / GRID.columns) * GRID.dy);
    });
  }
  function unfocus() {
    if (!state.focus) { return; }
    Object.keys(state.places || {}).forEach(function (id) {
      network.moveNode(id, state.places[id].x, state.places[id].y);
    });
    state.focus = null;
    state.places = null;
    network.setOptions({edges: {smooth: (DATA.options.edges || {}).smooth}});
  }

  function focus(id) {
    const node = nodes.get(id);
    if (node && node.hidden && state.focus) {  /* beyond the first view: show everything */
      unfocus();
      state.severity = "";
      document.getElementById("f-severity").value = "";
      applyFilters();
    }
    const inside = network.clustering.findNode(id);
    if (inside.length > 1) { network.openCluster(inside[0]); }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.1),
                       animation: {duration: 350}});
    highlight(id);
    window.aimsgraph.focused = id;
  }
  window.aimsgraph.highlight = highlight;
  window.aimsgraph.focus = focus;
  network.on("click", function (params) {
    if (params.nodes.length && network.isCluster(params.nodes[0])) {
      network.openCluster(params.nodes[0]);
      return;
    }
    highlight(params.nodes.length ? params.nodes[0] : null);
  });

  /* Search: part of a name or id, any case; a list of matches; "no match" when none. */
  const search = document.getElementById("search");
  const results = document.getElementById("results");
  const nomatch = document.getElementById("nomatch");
  function matches(text) {
    const wanted = text.trim().toLowerCase();
    if (!wanted) { return []; }
    return nodes.get({filter: function (n) {
      return String(n.label || "").toLowerCase().includes(wanted) ||
             String(n.id).toLowerCase().includes(wanted);
    }}).slice(0, 50);
  }
  function showResults() {
    const found = matches(search.value);
    results.replaceChildren();
    nomatch.hidden = !(search.value.trim() && found.length === 0);
    results.hidden = found.length === 0;
    found.forEach(function (n) {
      const item = document.createElement("li");
      item.setAttribute("role", "option");
      item.dataset.id = n.id;
      item.textContent = n.label + " ";
      const small = document.createElement("small");
      small.textContent = n.id;
      item.appendChild(small);
      item.addEventListener("click", function () { choose(n.id); });
      results.appendChild(item);
    });
    window.aimsgraph.results = found.map(function (n) { return n.id; });
  }
  function choose(id) {
    results.hidden = true;
    focus(id);
  }
  search.addEventListener("input", showResults);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && window.aimsgraph.results && window.aimsgraph.results.length) {
      choose(window.aimsgraph.results[0]);
    } else if (event.key === "Escape") { results.hidden = true; }
  });

  /* Findings panel: by check, most severe first; a click focuses the node. */
  const order = {high: 0, medium: 1, low: 2};
  const list = document.getElementById("finding-list");
  function renderFindings() {
    const shown = DATA.findings.filter(visibleFinding);
    const byCheck = {};
    shown.forEach(function (f) { (byCheck[f.check] = byCheck[f.check] || []).push(f); });
    const checks = Object.keys(byCheck).sort(function (a, b) {
      const sa = Math.min.apply(null, byCheck[a].map(function (f) { return order[f.severity]; }));
      const sb = Math.min.apply(null, byCheck[b].map(function (f) { return order[f.severity]; }));
      return sa - sb || a.localeCompare(b);
    });
    list.replaceChildren();
    checks.forEach(function (check) {
      const group = document.createElement("details");
      group.className = "check";
      group.open = true;
      const summary = document.createElement("summary");
      summary.textContent = byCheck[check][0].title + " (" + byCheck[check].length + ")";
      summary.title = check;
      group.appendChild(summary);
      byCheck[check].sort(function (a, b) { return order[a.severity] - order[b.severity]; })
        .forEach(function (f) {
          const button = document.createElement("button");
          button.className = "finding";
          button.dataset.node = f.node;
          button.title = f.reason;
          const sev = document.createElement("span");
          sev.className = "sev " + f.severity;
          sev.textContent = f.severity;
          button.appendChild(sev);
          button.appendChild(document.createTextNode(f.label));
          button.addEventListener("click", function () { focus(f.node); });
          group.appendChild(button);
        });
      list.appendChild(group);
    });
    document.getElementById("findings").hidden = DATA.findings.length === 0;
  }

  /* Filters: by check, severity and label; what is not shown is hidden, not removed. */
  function visibleFinding(f) {
    return (!state.check || f.check === state.check) &&
           (!state.severity || f.severity === state.severity) &&
           (!state.label || f.node_type === state.label);
  }
  function applyFilters() {
    const findingNodes = new Set(DATA.findings.filter(visibleFinding)
      .map(function (f) { return f.node; }));
    const filtering = state.check || state.severity;
    let keep;
    if (state.focus) {  /* the first view: the worst findings' nodes alone */
      keep = new Set(state.focus);
    } else if (filtering) {
      keep = new Set(findingNodes);
      findingNodes.forEach(function (id) {
        network.getConnectedNodes(id).forEach(function (other) { keep.add(other); });
      });
    }
    const updates = nodes.map(function (n) {
      const byLabel = !state.label || n.node_type === state.label ||
                      (filtering && findingNodes.has(n.id));
      const hidden = state.focus ? !keep.has(n.id) :
        !byLabel || (filtering && !keep.has(n.id) && !findingNodes.has(n.id));
      return {id: n.id, hidden: Boolean(hidden)};
    });
    nodes.update(updates);
    /* edges follow their nodes: in the focused view only those between two nodes shown */
    edges.update(edges.map(function (e) {
      return {id: e.id, hidden: Boolean(state.focus) && !(keep.has(e.from) && keep.has(e.to))};
    }));
    const visible = updates.filter(function (u) { return !u.hidden; }).length;
    window.aimsgraph.visible = visible;
    document.getElementById("shown").textContent = visible + " of " + nodes.length +
      " nodes shown" + (state.focus ? ": the nodes of the " + state.severity + " findings" +
      (state.focus.length < state.focusOf ? " with the most findings" : "") +
      "; choose every severity to see them all" : "");
    renderFindings();
  }
  /* After a filter changes, the view fits what is left. */
  function refit() {
    const shown = nodes.get({filter: function (n) { return !n.hidden; }})
      .map(function (n) { return n.id; });
    if (shown.length) {
      network.fit({nodes: shown, animation: false, maxZoomLevel: 1.2});
    }
  }
  window.aimsgraph.filter = function (check, severity, label) {
    state.check = check || ""; state.severity = severity || ""; state.label = label || "";
    applyFilters();
    refit();
  };
  function fill(select, values) {
    values.forEach(function (value) {
      const option = document.createElement("option");
      option.value = value; option.textContent = value;
      select.appendChild(option);
    });
  }
  const checks = Array.from(new Set(DATA.findings.map(function (f) { return f.check; }))).sort();
  const severities = ["high", "medium", "low"].filter(function (s) {
    return DATA.findings.some(function (f) { return f.severity === s; }); });
  const labels = Array.from(new Set(nodes.map(function (n) { return n.node_type; }))).sort();
  fill(document.getElementById("f-check"), checks);
  fill(document.getElementById("f-severity"), severities);
  fill(document.getElementById("f-label"), labels);
  [["f-check", "check"], ["f-severity", "severity"], ["f-label", "label"]].forEach(
    function (pair) {
      document.getElementById(pair[0]).addEventListener("change", function (event) {
        unfocus();  /* a choice of the person ends the first view's focus */
        state[pair[1]] = event.target.value;
        applyFilters();
        refit();
      });
    });
  document.getElementById("filters").hidden = DATA.findings.length === 0 && labels.length < 2;
  ["f-check", "f-severity"].forEach(function (id) {
    document.getElementById(id).parentElement.hidden = DATA.findings.length === 0;
  });
  /* A gap page with more nodes than a first screen reads opens on the most severe findings'
     nodes, those with the most findings first, at most FOCUS; the rest are one choice away. */
  const FOCUS = 60;
  if (DATA.kind === "gaps" && nodes.length > FOCUS && severities.length) {
    const worst = severities[0];
    const counts = new Map();
    DATA.findings.forEach(function (f) {
      if (f.severity === worst) { counts.set(f.node, (counts.get(f.node) || 0) + 1); }
    });
    const ranked = Array.from(counts.keys()).sort(function (a, b) {
      return counts.get(b) - counts.get(a) || (a < b ? -1 : 1); });
    state.focus = ranked.slice(0, FOCUS);
    state.focusOf = ranked.length;
    state.severity = worst;
    document.getElementById("f-severity").value = worst;
  }
  applyFilters();
  window.aimsgraph.openedOn = state.focus ? state.focus.length : 0;
})();
