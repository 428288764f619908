package com.kychub.apidocs;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import com.kychub.http.ErrorAnswer;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The hub API's OpenAPI 3 description, served by springdoc at {@code /v3/api-docs} (Swagger UI at
 * {@code /swagger-ui.html}): springdoc reads the controllers; this adds what it cannot see there. Each operation gets
 * its scope from {@link ApiScopes} (security requirement, {@code x-scope}, a line of its description) and its error
 * answers as problems ({@code application/problem+json}, {@link ErrorAnswer}); the webhook doors, Camel routes rather
 * than controllers, get a path item each. The sandbox and the error page are left out ({@code springdoc.*} in
 * application.yml).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    /** The name of the bearer key scheme in the description. */
    public static final String API_KEY = "apiKey";
    /** The extension member that names an operation's scope: operator, integration, none, or provider (webhooks). */
    public static final String SCOPE = "x-scope";

    private static final String PROBLEM = "Problem";
    private static final String WEBHOOK_ACKNOWLEDGEMENT = "WebhookAcknowledgement";
    private static final String WEBHOOKS_TAG = "Webhooks";

    private static final String DESCRIPTION = """
            The KYC Hub's API: the canonical KYC cases of every provider, the customers and their onboardings, the \
            outbound event feed and endpoints, and the operations of the inbox and the provider actions. Each \
            operation says its scope (`x-scope`): an integration key or an operator key, presented as \
            `Authorization: Bearer <key>`. Lists are pages: `{"items": [...], "next": "<path of the next page>"}`. \
            Every error is a problem (RFC 9457) as `application/problem+json`: `type` (about:blank), `title` (the \
            status's reason phrase), `status`, `detail` (what the caller can do) and `instance` (the request's path). \
            The providers' webhook doors are here too: each provider authenticates its own way.""";

    @Bean
    public OpenAPI hubApi() {
        return new OpenAPI()
                .info(new Info().title("KYC Hub API").version("v1").description(DESCRIPTION))
                .components(new Components()
                        .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("""
                                        An API key, `Authorization: Bearer <key>`, of one of two scopes. \
                                        integration (kyc.api.keys): cases, customers, onboardings, data, the \
                                        event feed. operator (kyc.api.operator-keys): the ops endpoints, raw \
                                        messages, replay, erasure, event endpoints and their deliveries, and the \
                                        integration operations too. No key or an unknown one: 401; a key of the \
                                        wrong scope: 403.""")));
    }

    /**
     * Every controller operation's scope and error answers. The schemas are added here, once springdoc has written
     * the ones it found in the controllers (it replaces those of the bean above).
     */
    @Bean
    public OpenApiCustomizer scopesAndErrors() {
        return openApi -> {
            openApi.getComponents().addSchemas(PROBLEM, problemSchema());
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach(
                    (method, operation) -> ApiScopes.of(HttpMethod.valueOf(method.name()), path)
                            .ifPresent(scope -> describe(path, operation, scope))));
        };
    }

    /** A path item for each provider's webhook door: a {@code platform-http} route under /webhooks. */
    @Bean
    public OpenApiCustomizer webhookDoors(CamelContext camel) {
        return openApi -> {
            openApi.getComponents().addSchemas(WEBHOOK_ACKNOWLEDGEMENT, new ObjectSchema()
                    .description("A webhook stored in the inbox (or a duplicate of one: nothing changed)")
                    .addProperty("status", new StringSchema()._enum(List.of("accepted", "duplicate")))
                    .addProperty("id", new IntegerSchema().format("int64")
                            .description("the inbox message's id, the same for a duplicate")));
            for (Route route : camel.getRoutes()) {
                if (route.getEndpoint() instanceof PlatformHttpEndpoint door
                        && door.getPath().startsWith("/webhooks/")) {
                    String provider = route.getRouteId().replaceFirst("-webhook$", "");
                    openApi.path(door.getPath(), new PathItem().post(webhook(provider)));
                }
            }
        };
    }

    private static void describe(String path, Operation operation, ApiScopes.Scope scope) {
        operation.addExtension(SCOPE, scope.id());
        String takes = "Scope: " + scope.id() + " (" + scope.takes() + ").";
        operation.setDescription(operation.getDescription() == null ? takes
                : takes + "\n\n" + operation.getDescription());
        if (scope == ApiScopes.Scope.NONE) {
            operation.setSecurity(List.of());
        } else {
            operation.setSecurity(List.of(new SecurityRequirement().addList(API_KEY)));
        }
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        boolean hasInput = operation.getRequestBody() != null
                || (operation.getParameters() != null && !operation.getParameters().isEmpty());
        if (hasInput) {
            problem(responses, "400", "a parameter or the body is not valid: the detail names it");
        }
        if (scope != ApiScopes.Scope.NONE) {
            problem(responses, "401", "no API key, or an unknown one");
        }
        if (scope == ApiScopes.Scope.OPERATOR) {
            problem(responses, "403", "an integration key: this operation takes an operator key");
        }
        if (path.contains("{")) {
            problem(responses, "404", "nothing is found at this path");
        }
        if (operation.getRequestBody() != null) {
            problem(responses, "415", "Content-Type must be application/json");
        }
        problem(responses, "500", "an unexpected failure; nothing is told of it but that");
        retryLater(problem(responses, "503", "the store is unavailable: try again after Retry-After"));
        // Errors the controllers declare themselves (409, ...) are problems too.
        responses.forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                response.setContent(problemContent());
            }
        });
    }

    private static Operation webhook(String provider) {
        Content json = new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                new MediaType().schema(new ObjectSchema().description("the provider's event, as its doc shows it")));
        ApiResponses responses = new ApiResponses()
                .addApiResponse("200", new ApiResponse().description("stored in the inbox (or a duplicate)")
                        .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                                new MediaType().schema(ref(WEBHOOK_ACKNOWLEDGEMENT)))));
        problem(responses, "400", "refused, nothing stored: the body is empty, not UTF-8, not a JSON object, or lacks "
                + "what the provider's doc requires");
        problem(responses, "401", "refused, nothing stored: the provider's authentication failed");
        problem(responses, "413", "refused, nothing stored: the body is over kyc.inbox.max-body-size");
        problem(responses, "415", "refused, nothing stored: Content-Type must be application/json");
        problem(responses, "500", "not stored: deliver again");
        retryLater(problem(responses, "503", "the hub is starting or the store is unavailable: deliver again after "
                + "Retry-After"));
        Operation operation = new Operation()
                .operationId(provider + "Webhook")
                .tags(List.of(WEBHOOKS_TAG))
                .summary(provider + "'s webhooks")
                .description("Where " + provider + " posts its events. No API key: the provider authenticates its "
                        + "own way (signature, bearer token or Basic, as configured under kyc.providers." + provider
                        + "). Answered 200 only once the raw message is stored; a 4xx is refused for good. Served "
                        + "on the webhook doors' own port (kyc.webhooks.vertx-port, 8081), the one to give the "
                        + "provider, and, with kyc.webhooks.engine both (the default) or servlet, on this one.")
                .security(List.of())
                .requestBody(new RequestBody().required(true).content(json))
                .responses(responses);
        operation.addExtension(SCOPE, "provider");
        return operation;
    }

    private static ApiResponse problem(ApiResponses responses, String code, String description) {
        ApiResponse response = responses.computeIfAbsent(code, missing -> new ApiResponse().description(description));
        response.setContent(problemContent());
        return response;
    }

    private static void retryLater(ApiResponse response) {
        response.setHeaders(Map.of("Retry-After", new Header().description("seconds to wait before trying again")
                .schema(new IntegerSchema())));
    }

    private static Content problemContent() {
        return new Content().addMediaType(ErrorAnswer.CONTENT_TYPE, new MediaType().schema(ref(PROBLEM)));
    }

    private static Schema<?> ref(String schema) {
        return new Schema<>().$ref("#/components/schemas/" + schema);
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("An error, as RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri")._default("about:blank")
                        .description("always about:blank: the status says what kind of error it is"))
                .addProperty("title", new StringSchema().description("the status's reason phrase")
                        .example("Bad Request"))
                .addProperty("status", new IntegerSchema().description("the HTTP status").example(400))
                .addProperty("detail", new StringSchema().description("what went wrong and what the caller can do")
                        .example("'limit' must be 1 to 1000"))
                .addProperty("instance", new StringSchema().format("uri-reference")
                        .description("the path of the request").example("/api/v1/cases"))
                .required(List.of("type", "title", "status"));
    }
}
