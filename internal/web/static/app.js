// Approdo's own script, loaded before Bootstrap Italia's bundle. The
// Content-Security-Policy allows no inline script, so page behaviour that
// needs JavaScript lives here.

// Video.js, bundled in Bootstrap Italia, would add a <style> element at
// start-up, which the Content-Security-Policy refuses; its styles are in the
// vendored stylesheet already.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;

// After a failed submit, move the focus to the error summary so that screen
// reader and keyboard users hear what went wrong and can jump to each field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});

// A button with data-copy="ID" copies the text of the element ID to the
// clipboard and says so in the live region data-copy-status="ID". Without
// JavaScript or a clipboard the button stays hidden and the text is selected
// by hand.
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var id = button.getAttribute("data-copy");
    var source = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!source) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) {
          status.textContent = button.getAttribute("data-copied");
        }
      });
    });
  });
});

// htmx swaps a section answered with 422 (a form with problems to show) as
// it swaps a success, and after a form it submitted moves the focus to the
// error summary, or to the notice of what was saved.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr && event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
document.addEventListener("htmx:afterSettle", function (event) {
  var config = event.detail.requestConfig;
  if (!config || config.verb !== "post") {
    return;
  }
  var target = document.getElementById("error-summary") || document.querySelector("[data-focus]");
  if (target) {
    target.focus();
  }
});

// A file input inside [data-dropzone] also takes a file dropped on the zone,
// and says at once, beside itself, when the file is over its data-max-bytes
// (with its data-too-large message); a form is not sent with such a file.
// Without JavaScript the input works as a plain file input and the server
// says the same.
(function () {
  function tooLarge(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var file = input.files && input.files[0];
    return Boolean(file && max && file.size > max);
  }

  function check(input) {
    var bad = tooLarge(input);
    var box = document.getElementById(input.id + "-check");
    if (box) {
      box.textContent = bad ? input.getAttribute("data-too-large") : "";
    }
    input.classList.toggle("is-invalid", bad || input.hasAttribute("aria-invalid"));
    return !bad;
  }

  function enhance(root) {
    root.querySelectorAll("[data-dropzone]").forEach(function (zone) {
      var input = zone.querySelector('input[type="file"]');
      if (!input || zone.hasAttribute("data-ready")) {
        return;
      }
      zone.setAttribute("data-ready", "");
      var hint = zone.querySelector("[data-dropzone-hint]");
      if (hint) {
        hint.hidden = false;
      }
      zone.addEventListener("dragover", function (event) {
        event.preventDefault();
        zone.classList.add("upload-zone-over");
      });
      zone.addEventListener("dragleave", function () {
        zone.classList.remove("upload-zone-over");
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        zone.classList.remove("upload-zone-over");
        var files = event.dataTransfer && event.dataTransfer.files;
        if (!files || files.length === 0) {
          return;
        }
        var one = new DataTransfer();
        one.items.add(files[0]);
        input.files = one.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      input.addEventListener("change", function () {
        check(input);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.detail.elt);
  });
  // Runs before htmx's own listener on the form, so a refused file stops
  // both the plain submit and the htmx request.
  document.addEventListener("submit", function (event) {
    var bad = null;
    event.target.querySelectorAll("[data-dropzone] input[type=file]").forEach(function (input) {
      if (!check(input) && !bad) {
        bad = input;
      }
    });
    if (bad) {
      event.preventDefault();
      event.stopImmediatePropagation();
      bad.focus();
    }
  }, true);
})();

// The person form shows only the birth date fields of the precision chosen:
// a date, month or year, or the range of an age assessment. Without
// JavaScript every field stays visible and the server reads those of the
// precision.
document.addEventListener("DOMContentLoaded", function () {
  var precision = document.getElementById("birth_precision");
  if (!precision) {
    return;
  }
  var update = function () {
    document.querySelectorAll("[data-birth-precision]").forEach(function (el) {
      el.hidden = el.getAttribute("data-birth-precision").split(" ").indexOf(precision.value) < 0;
    });
  };
  precision.addEventListener("change", update);
  update();
});
