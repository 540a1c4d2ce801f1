/* briefgen serve: reload this tab after each rebuild; show build errors.
   Added to pages as they are served, never written to site/. */
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generation") : null;
  var OVERLAY = "__briefgen_overlay";

  function hide() {
    var old = document.getElementById(OVERLAY);
    if (old) { old.remove(); }
  }

  function show(problems) {
    hide();
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:80vh;overflow:auto;" +
      "z-index:2147483647;background:#3b0d0d;color:#fff;padding:1rem 1.25rem;" +
      "font:14px/1.5 ui-monospace,monospace;border-bottom:4px solid #e5484d;";
    var title = document.createElement("strong");
    title.textContent = "briefgen: the build failed. Fix the files below; this page reloads by itself.";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:.5rem 0 0;padding-left:1.25rem;white-space:pre-wrap;";
    problems.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("briefgen", String(Date.now()));
      link.href = url.href;
    });
  }

  var events = new EventSource("/__briefgen__/events");
  events.addEventListener("hello", function (event) {
    var data = JSON.parse(event.data);
    if (generation !== null && String(data.generation) !== generation) {
      location.reload();
    } else if (data.problems.length) {
      show(data.problems);
    } else {
      hide();
    }
  });
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("css", function (event) {
    generation = String(JSON.parse(event.data).generation);
    swapStylesheets();
    hide();
  });
  events.addEventListener("failed", function (event) { show(JSON.parse(event.data).problems); });
  window.addEventListener("pagehide", function () { events.close(); });
}());
