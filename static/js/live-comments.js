/*
 * Live comments: new, edited, hidden and deleted comments appear without a reload.
 *
 * Markup contract (the comments page provides it; no inline script needed):
 *
 *   <ul data-live-comments-url="{% url 'webhooks:live_comments' profile.pk %}"
 *       data-live-comments-after="{% now 'c' %}"       (optional: the render time, ISO 8601)
 *       data-live-comments-interval="1500">            (optional, milliseconds; default 1500)
 *     <li data-comment-id="17867301270523379">…</li>  (rows already rendered, by Meta id)
 *     <template data-live-comment-template>           (optional: how one new row looks)
 *       <li><strong data-field="username"></strong> <span data-field="text"></span>
 *           <time data-field="timestamp"></time></li>
 *     </template>
 *   </ul>
 *   <p data-live-comments-warning hidden>…webhooks are not arriving…</p>  (optional)
 * and, inside the container, an optional `[data-live-comments-empty]` row ("No comments yet"),
 * removed when the first live comment is inserted so the page never says both.
 *
 * Every poll asks `url?after=<cursor>` and receives
 *   {"comments": [{id, meta_id, media_id, permalink, parent_id, username, text, timestamp,
 *                  hidden, deleted, source, sentiment, sentiment_label, codes}], "cursor": "…",
 *    "webhooks_missing": bool,
 *    "last_webhook_at": "…" | null}
 * A comment already on the page (same data-comment-id) is updated in place: its
 * [data-field] children get the new values and the row gets the classes
 * `live-comment-hidden` / `live-comment-deleted`. A new one is built from the template
 * (or a plain <li>), marked `live-comment-new`, and inserted first. Filled fields: any
 * element with data-field="<key of the comment>"; `timestamp` also sets `datetime`.
 * The container receives a `live-comments:added` event (detail: the comment) per new row.
 */
(function () {
  "use strict";

  function fill(row, comment) {
    row.setAttribute("data-comment-id", comment.meta_id);
    row.querySelectorAll("[data-field]").forEach(function (el) {
      var key = el.getAttribute("data-field");
      if (!(key in comment)) return;
      var value = comment[key] === null ? "" : String(comment[key]);
      if (key === "timestamp") {
        el.setAttribute("datetime", value);
        el.textContent = window.sdlDates.dateTime(value);
      } else {
        el.textContent = value;
      }
    });
    row.classList.toggle("live-comment-hidden", Boolean(comment.hidden));
    row.classList.toggle("live-comment-deleted", Boolean(comment.deleted));
  }

  function newRow(container, comment) {
    var template = container.querySelector("template[data-live-comment-template]");
    var row;
    if (template && template.content.firstElementChild) {
      row = template.content.firstElementChild.cloneNode(true);
    } else {
      row = document.createElement("li");
      var who = document.createElement("strong");
      who.setAttribute("data-field", "username");
      var text = document.createElement("span");
      text.setAttribute("data-field", "text");
      row.append(who, " ", text);
    }
    row.classList.add("live-comment-new");
    fill(row, comment);
    return row;
  }

  function findRow(container, metaId) {
    var rows = container.querySelectorAll("[data-comment-id]");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-comment-id") === metaId) return rows[i];
    }
    return null;
  }

  function start(container) {
    var url = container.getAttribute("data-live-comments-url");
    var interval = parseInt(container.getAttribute("data-live-comments-interval"), 10) || 1500;
    var warning = document.querySelector("[data-live-comments-warning]");
    // The server's render time is the safe start; the browser's clock may be off.
    var cursor = container.getAttribute("data-live-comments-after") || new Date().toISOString();

    function apply(data) {
      data.comments.forEach(function (comment) {
        var row = findRow(container, comment.meta_id);
        if (row) {
          fill(row, comment);
          return;
        }
        var first = container.querySelector("[data-comment-id]");
        container.insertBefore(newRow(container, comment), first);
        container.querySelectorAll("[data-live-comments-empty]").forEach(function (empty) {
          empty.remove();
        });
        container.dispatchEvent(new CustomEvent("live-comments:added", { detail: comment }));
      });
      cursor = data.cursor;
      if (warning) warning.hidden = !data.webhooks_missing;
    }

    function poll() {
      if (document.hidden) {
        window.setTimeout(poll, interval);
        return;
      }
      var separator = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + separator + "after=" + encodeURIComponent(cursor), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data) apply(data);
        })
        .catch(function () {
          /* offline for a moment: the next poll catches up from the same cursor */
        })
        .finally(function () {
          window.setTimeout(poll, interval);
        });
    }

    window.setTimeout(poll, interval);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live-comments-url]").forEach(start);
  });
})();
