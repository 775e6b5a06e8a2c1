// Starts ReDoc on the gateway's OpenAPI document. A file, not an inline script: the page's
// Content-Security-Policy runs scripts from the gateway only (gateway/api_docs.py).
"use strict";
(function () {
  var root = document.getElementById("redoc");
  Redoc.init(root.dataset.openapiUrl, {}, root);
})();
