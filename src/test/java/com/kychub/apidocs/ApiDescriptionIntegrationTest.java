package com.kychub.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.kychub.http.Page;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.ResolvableType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The API's description at /v3/api-docs: every controller endpoint is in it, every operation's documented scope is
 * the one the hub enforces, errors are problems, the webhook doors are there, and Swagger UI answers.
 */
class ApiDescriptionIntegrationTest extends HubIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}/]+)}");
    /** Served by the hub but no part of its API: the sandbox, the error page, the description itself. */
    private static final Pattern NOT_THE_API = Pattern.compile("/sandbox/.*|/error|/v3/api-docs.*|/swagger-ui.*");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping controllers;

    @Test
    void everyControllerEndpointIsDescribed() {
        Set<String> described = operations(description()).keySet();
        Set<String> missing = new TreeSet<>();
        int endpoints = 0;
        for (RequestMappingInfo mapping : controllers.getHandlerMethods().keySet()) {
            for (String path : mapping.getPatternValues()) {
                if (NOT_THE_API.matcher(path).matches()) {
                    continue;
                }
                Set<RequestMethod> methods = mapping.getMethodsCondition().getMethods();
                assertThat(methods).as("a mapping of %s without its methods", path).isNotEmpty();
                for (RequestMethod method : methods) {
                    endpoints++;
                    if (!described.contains(method + " " + path)) {
                        missing.add(method + " " + path);
                    }
                }
            }
        }
        assertThat(endpoints).isGreaterThan(20);
        assertThat(missing).as("controller endpoints missing from /v3/api-docs").isEmpty();
    }

    /**
     * The schema documented for each answer is the record the controller returns (a page's items included): springdoc
     * names schemas by simple class name, so two records of one name (there are three {@code Summary}s) would
     * otherwise share the first one's schema without a word.
     */
    @Test
    void everyAnsweredRecordIsDescribedByItsOwnSchema() {
        JsonNode description = description();
        JsonNode schemas = description.path("components").path("schemas");
        Map<String, JsonNode> operations = operations(description);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<RequestMappingInfo, HandlerMethod> handler : controllers.getHandlerMethods().entrySet()) {
            ResolvableType answer = ResolvableType.forMethodReturnType(handler.getValue().getMethod());
            if (answer.toClass() == ResponseEntity.class) {
                answer = answer.getGeneric(0);
            }
            boolean paged = answer.toClass() == Page.class;
            if (paged) {
                answer = answer.getGeneric(0);
            }
            if (!answer.toClass().isRecord()) {
                continue;
            }
            for (String path : handler.getKey().getPatternValues()) {
                for (RequestMethod method : handler.getKey().getMethodsCondition().getMethods()) {
                    JsonNode operation = operations.get(method + " " + path);
                    if (operation == null) {
                        continue; // everyControllerEndpointIsDescribed's business
                    }
                    JsonNode schema = schemas.path(schemaName(success(operation)));
                    if (paged) {
                        schema = schemas.path(schemaName(schema.path("properties").path("items").path("items")));
                    }
                    Set<String> documented = new TreeSet<>();
                    schema.path("properties").fieldNames().forEachRemaining(documented::add);
                    Set<String> answered = new TreeSet<>();
                    for (RecordComponent component : answer.toClass().getRecordComponents()) {
                        JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
                        answered.add(renamed == null ? component.getName() : renamed.value());
                    }
                    if (!documented.equals(answered)) {
                        wrong.add(method + " " + path + ": " + answer.toClass().getName() + " " + answered
                                + " documented as " + documented);
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(wrong).isEmpty();
    }

    /** The schema of the operation's first success answered as JSON. */
    private static JsonNode success(JsonNode operation) {
        Iterator<Map.Entry<String, JsonNode>> responses = operation.path("responses").fields();
        while (responses.hasNext()) {
            Map.Entry<String, JsonNode> response = responses.next();
            if (response.getKey().startsWith("2")) {
                JsonNode content = response.getValue().path("content");
                Iterator<JsonNode> types = content.elements();
                if (types.hasNext()) {
                    return types.next().path("schema");
                }
            }
        }
        return MissingNode.getInstance();
    }

    private static String schemaName(JsonNode schema) {
        return schema.path("$ref").asText().replace("#/components/schemas/", "");
    }

    @Test
    void everyOperationTakesTheScopeItDocuments() {
        Map<String, JsonNode> operations = operations(description());
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, JsonNode> described : operations.entrySet()) {
            String method = described.getKey().split(" ", 2)[0];
            String template = described.getKey().split(" ", 2)[1];
            if (!template.startsWith("/api/")) {
                continue;
            }
            JsonNode operation = described.getValue();
            String scope = operation.path("x-scope").asText();
            assertThat(scope).as(described.getKey()).isIn("operator", "integration", "none");
            if (scope.equals("none")) {
                continue;
            }
            assertThat(operation.path("security").toString()).as(described.getKey()).contains("apiKey");
            assertThat(operation.path("description").asText()).as(described.getKey()).contains("Scope: " + scope);
            assertThat(operation.path("responses").has("401")).as(described.getKey()).isTrue();
            String path = example(template, operation);
            String otherKey = scope.equals("operator") ? API_KEY : null;
            String rightKey = scope.equals("operator") ? OPERATOR_API_KEY : API_KEY;
            expect(wrong, method, path, null, 401);
            expect(wrong, method, path, "not-a-key", 401);
            if (otherKey != null) {
                expect(wrong, method, path, otherKey, 403);
            }
            int allowed = send(method, path, rightKey).statusCode();
            if (allowed == 401 || allowed == 403) {
                wrong.add(method + " " + path + " with its own scope's key: " + allowed);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(wrong).isEmpty();
    }

    @Test
    void errorsAreProblemsAndTheWebhookDoorsAreDescribed() {
        JsonNode description = description();
        assertThat(description.path("info").path("title").asText()).isEqualTo("KYC Hub API");
        assertThat(description.path("components").path("securitySchemes").path("apiKey").path("scheme").asText())
                .isEqualTo("bearer");
        JsonNode problem = description.path("components").path("schemas").path("Problem").path("properties");
        assertThat(problem.has("type") && problem.has("title") && problem.has("status") && problem.has("detail")
                && problem.has("instance")).as(problem.toString()).isTrue();

        operations(description).forEach((operation, described) -> assertThat(described.path("responses")
                .fieldNames()).toIterable().as(operation + " has its success").anyMatch(code -> code.startsWith("2")));
        operations(description).forEach((operation, described) -> described.path("responses").fields()
                .forEachRemaining(response -> {
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        assertThat(response.getValue().path("content").path("application/problem+json")
                                .path("schema").path("$ref").asText()).as(operation + " " + response.getKey())
                                .isEqualTo("#/components/schemas/Problem");
                    }
                }));
        JsonNode cases = description.path("paths").path("/api/v1/cases").path("get").path("responses");
        assertThat(cases.has("500") && cases.has("503")).isTrue();

        for (String door : List.of("/webhooks/striga/kyc", "/webhooks/argos", "/webhooks/ondato",
                "/webhooks/connectfi")) {
            JsonNode post = description.path("paths").path(door).path("post");
            assertThat(post.path("x-scope").asText()).as(door).isEqualTo("provider");
            assertThat(post.path("responses").has("200") && post.path("responses").has("401")
                    && post.path("responses").has("503")).as(door).isTrue();
        }
        assertThat(description.path("paths").fieldNames()).toIterable()
                .noneMatch(path -> path.startsWith("/sandbox") || path.equals("/error"));
    }

    @Test
    void swaggerUiAnswers() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/swagger-ui.html")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
    }

    private JsonNode description() {
        HttpResponse<String> answer = get("/v3/api-docs", Map.of());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        try {
            // The description as the tests read it, for a reader of the build's output.
            Files.writeString(Path.of("target", "openapi.json"), answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return readJson(answer.body());
    }

    /** Every operation of the description as "METHOD /path". */
    private static Map<String, JsonNode> operations(JsonNode description) {
        Map<String, JsonNode> operations = new TreeMap<>();
        description.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(
                operation -> operations.put(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
                        operation.getValue())));
        return operations;
    }

    /** The path with an example for each variable: a number where the parameter is one, else a random UUID. */
    private static String example(String template, JsonNode operation) {
        Matcher variables = PATH_VARIABLE.matcher(template);
        StringBuilder path = new StringBuilder();
        while (variables.find()) {
            String name = variables.group(1);
            String type = "string";
            for (JsonNode parameter : operation.path("parameters")) {
                if (parameter.path("name").asText().equals(name)) {
                    type = parameter.path("schema").path("type").asText();
                }
            }
            variables.appendReplacement(path, type.equals("integer") ? "1" : UUID.randomUUID().toString());
        }
        return variables.appendTail(path).toString();
    }

    private void expect(List<String> wrong, String method, String path, String key, int status) {
        HttpResponse<String> answer = send(method, path, key);
        if (answer.statusCode() != status) {
            wrong.add(method + " " + path + " with " + (key == null ? "no key" : key) + ": " + answer.statusCode()
                    + ", documented " + status);
        } else if (!answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            wrong.add(method + " " + path + ": " + status + " is no problem");
        }
    }

    private HttpResponse<String> send(String method, String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
