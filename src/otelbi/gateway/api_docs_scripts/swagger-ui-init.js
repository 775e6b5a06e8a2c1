// Starts Swagger UI on the gateway's OpenAPI document. A file, not an inline script: the
// page's Content-Security-Policy runs scripts from the gateway only (gateway/api_docs.py).
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    // Operations grouped by tag, in the document's order, each group open.
    docExpansion: "list",
    // The public validator is another origin: the page neither calls it nor shows its badge.
    validatorUrl: null,
  });
})();
