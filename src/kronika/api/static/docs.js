// Swagger UI over the API's OpenAPI document, from the files shipped with Kronika (no inline script,
// so the page keeps the server's content security policy).
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
