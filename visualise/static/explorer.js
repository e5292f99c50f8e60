/* The live explorer: a graph that grows from searches and clicks, asking the API. */
(function () {
  "use strict";
  const nodes = new vis.DataSet([]);
  const edges = new vis.DataSet([]);
  const network = new vis.Network(document.getElementById("network"),
    {nodes: nodes, edges: edges},
    {interaction: {hover: true, tooltipDelay: 120},
     layout: {randomSeed: 7},
     physics: {solver: "forceAtlas2Based", stabilization: {iterations: 150}},
     nodes: {widthConstraint: {maximum: 170},
             font: {size: 14, face: "system-ui, sans-serif"}},
     edges: {arrows: "to", smooth: {type: "dynamic"}}});
  const KEY = "aimsgraph-key";
  const state = {gaps: new Map(), hidden: new Set(), expanded: new Set()};
  const status = document.getElementById("status");
  const hint = document.getElementById("hint");
  window.network = network;
  window.explorer = {nodes: nodes, edges: edges, state: state, ready: false, settled: false};
  /* Whether the layout has come to rest: a node is only clicked reliably when it is still. */
  network.on("startStabilizing", function () { window.explorer.settled = false; });
  network.on("stabilized", function () { window.explorer.settled = true; });

  /* Every call carries the tab's key, if any; a 401 asks for one. */
  async function api(path) {
    const headers = {};
    const key = sessionStorage.getItem(KEY);
    if (key) { headers.Authorization = "Bearer " + key; }
    const reply = await fetch(path, {headers: headers});
    if (reply.status === 401) {
      document.getElementById("keybox").hidden = false;
      throw new Error("an API key is needed");
    }
    if (!reply.ok) { throw new Error(path + ": " + reply.status); }
    return reply.json();
  }
  document.getElementById("usekey").addEventListener("click", async function () {
    sessionStorage.setItem(KEY, document.getElementById("key").value.trim());
    try {
      await markGaps();
      document.getElementById("keybox").hidden = true;
      if (!nodes.length) { await start(); }
    } catch (error) {
      const shown = document.getElementById("keyerror");
      shown.hidden = false;
      shown.textContent = "That key was not accepted.";
    }
  });

  function nodeId(ref) { return ref.type + ":" + ref.id; }
  function styled(ref) {
    const base = STYLES.nodes[ref.type] || {};
    const gap = state.gaps.get(nodeId(ref));
    const style = Object.assign({}, base, {color: Object.assign({}, base.color)});
    if (gap) {
      style.color.border = STYLES.gap.border;
      style.borderWidth = 6;
      style.shadow = {enabled: true, color: STYLES.gap.color, size: 18, x: 0, y: 0};
    } else {
      style.borderWidth = base.borderWidth || 1;
      style.shadow = {enabled: false};
    }
    return Object.assign(style, {
      id: nodeId(ref), label: ref.name, node_type: ref.type, ref: ref,
      gap: Boolean(gap), hidden: state.hidden.has(ref.type),
      title: ref.type + " " + ref.id + "\n" + ref.name +
             (gap ? "\nGaps:\n" + gap.map(function (g) { return "- " + g; }).join("\n") : "")});
  }
  /* The nodes on the canvas, kept for this tab: coming back opens the same view. */
  const VIEW_KEY = "aimsgraph-explorer-view";
  function remember() {
    try {
      sessionStorage.setItem(VIEW_KEY, JSON.stringify(nodes.map(function (n) { return n.ref; })));
    } catch (e) { /* storage refused (private mode): the view is simply not kept */ }
  }
  function addNode(ref) {
    const existing = nodes.get(nodeId(ref));
    const style = styled(ref);
    if (existing) {
      delete style.x; delete style.y;
      nodes.update(style);
    } else { nodes.add(style); remember(); }
  }
  function addEdge(rel) {
    const id = nodeId(rel.from) + "|" + rel.type + "|" + nodeId(rel.to);
    if (edges.get(id)) { return; }
    edges.add(Object.assign({}, STYLES.edges[rel.type] || {}, {
      id: id, from: nodeId(rel.from), to: nodeId(rel.to), rel_type: rel.type,
      title: rel.type}));
  }

  async function expand(id) {
    const node = nodes.get(id);
    if (!node || network.isCluster(id)) { return; }
    const ref = node.ref;
    const most = Math.min(1000, Math.max(1, parseInt(document.getElementById("most").value, 10) ||
                                         1));
    const around = await api("entities/" + encodeURIComponent(ref.type) + "/" +
                             encodeURIComponent(ref.id) + "/neighbours?max_neighbours=" + most);
    around.nodes.forEach(addNode);
    around.relationships.forEach(addEdge);
    state.expanded.add(id);
    /* a node with more neighbours than the API follows says how many were not drawn */
    const more = around.left_out.map(function (l) {
      return l.node.id + " has " + l.neighbours + " more neighbours, not shown";
    });
    status.textContent = nodes.length + " nodes; " + state.gaps.size + " with findings as of " +
      document.getElementById("asof").value + (more.length ? "; " + more.join("; ") : "");
  }
  window.explorer.expand = expand;

  /* Findings as of the chosen date mark the nodes they are about, now and as they appear. */
  async function markGaps() {
    const day = document.getElementById("asof").value;
    const report = await api("gaps?limit=10000&as_of=" + encodeURIComponent(day));
    state.report = report;
    state.gaps = new Map();
    report.checks.forEach(function (check) {
      check.findings.forEach(function (f) {
        const id = nodeId(f.subject);
        if (!state.gaps.has(id)) { state.gaps.set(id, []); }
        state.gaps.get(id).push(check.id + ": " + f.reason);
      });
    });
    nodes.update(nodes.map(function (n) {
      const style = styled(n.ref);
      delete style.x; delete style.y;
      return style;
    }));
    window.explorer.asOf = day;
    window.explorer.marked = nodes.get({filter: function (n) { return n.gap; }})
      .map(function (n) { return n.id; });
    status.textContent = nodes.length + " nodes; " + state.gaps.size + " with findings as of " +
      day;
  }
  window.explorer.markGaps = markGaps;
  document.getElementById("asof").addEventListener("change", function () {
    markGaps().catch(function (e) { status.textContent = e.message; });
  });

  /* Search across labels, by part of a name or id. */
  const search = document.getElementById("search");
  const results = document.getElementById("results");
  const nomatch = document.getElementById("nomatch");
  let pending = 0;
  search.addEventListener("input", async function () {
    const text = search.value.trim();
    const ticket = ++pending;
    if (!text) { results.hidden = true; nomatch.hidden = true; return; }
    let found;
    try { found = await api("entities?limit=20&q=" + encodeURIComponent(text)); }
    catch (error) { status.textContent = error.message; return; }
    if (ticket !== pending) { return; }
    results.replaceChildren();
    nomatch.hidden = found.items.length > 0;
    results.hidden = found.items.length === 0;
    found.items.forEach(function (ref) {
      const item = document.createElement("li");
      item.textContent = ref.name + " ";
      const small = document.createElement("small");
      small.textContent = ref.type + " " + ref.id;
      item.appendChild(small);
      item.addEventListener("click", async function () {
        results.hidden = true;
        addNode(ref);
        await expand(nodeId(ref));
        network.selectNodes([nodeId(ref)]);
        network.focus(nodeId(ref), {scale: 1.1, animation: {duration: 300}});
      });
      results.appendChild(item);
    });
    window.explorer.results = found.items;
  });

  network.on("click", function (params) {
    if (params.nodes.length) {
      expand(params.nodes[0]).catch(function (e) { status.textContent = e.message; });
    }
  });

  /* Pins: a dragged node stays where it is put. */
  network.on("dragEnd", function (params) {
    params.nodes.forEach(function (id) {
      nodes.update({id: id, fixed: {x: true, y: true}, pinned: true});
    });
  });
  window.explorer.pin = function (id) { nodes.update({id: id, fixed: {x: true, y: true},
                                                      pinned: true}); };
  document.getElementById("unpin").addEventListener("click", function () {
    nodes.update(nodes.map(function (n) { return {id: n.id, fixed: false, pinned: false}; }));
  });

  /* Labels shown or hidden. */
  document.querySelectorAll("#labels input").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) { state.hidden.delete(box.dataset.label); }
      else { state.hidden.add(box.dataset.label); }
      nodes.update(nodes.map(function (n) {
        return {id: n.id, hidden: state.hidden.has(n.node_type)}; }));
    });
  });

  /* The view as a PNG file. */
  document.getElementById("save").addEventListener("click", function () {
    const canvas = document.querySelector("#network canvas");
    const link = document.createElement("a");
    link.download = "aimsgraph-explorer.png";
    link.href = canvas.toDataURL("image/png");
    document.body.appendChild(link);
    link.click();
    link.remove();
  });

  /* Never an empty canvas: this tab's last view, else the executives and the nodes behind
     the most severe findings, with a line saying where the view starts. */
  async function start() {
    let kept = [];
    try { kept = JSON.parse(sessionStorage.getItem(VIEW_KEY) || "[]"); } catch (e) { kept = []; }
    if (kept.length) {
      kept.forEach(addNode);
      hint.textContent = "Your last view in this tab. Click a node to expand it.";
    } else {
      const order = ["high", "medium", "low"];
      const findings = [];
      state.report.checks.forEach(function (check) {
        check.findings.forEach(function (f) { findings.push(f); });
      });
      const worst = order.find(function (s) {
        return findings.some(function (f) { return f.severity === s; });
      });
      const seen = new Set();
      findings.filter(function (f) { return f.severity === worst; }).forEach(function (f) {
        if (seen.size < 24 && !seen.has(nodeId(f.subject))) {
          seen.add(nodeId(f.subject));
          addNode(f.subject);
        }
      });
      const leadership = await api("reports/leadership?format=json&as_of=" +
                                   encodeURIComponent(document.getElementById("asof").value));
      leadership.leaders.forEach(function (p) {
        addNode({type: "Person", id: p.id, name: p.name});
      });
      hint.textContent = "Starting on the executives and the nodes behind the " +
        (worst || "") + " findings (red ring). Click a node to expand it, or search.";
    }
    network.fit({animation: false});
    status.textContent = nodes.length + " nodes; " + state.gaps.size + " with findings as of " +
      document.getElementById("asof").value;
  }

  markGaps().then(start).catch(function (e) { status.textContent = e.message; })
    .finally(function () { window.explorer.ready = true; });
})();
