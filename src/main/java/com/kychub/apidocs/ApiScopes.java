package com.kychub.apidocs;

import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which key each path of the hub API takes, the rules {@code AccessConfiguration} enforces, written once for the
 * API's description ({@link OpenApiConfiguration}): the first rule that matches decides.
 * {@code ApiDescriptionIntegrationTest} calls every documented operation to prove that the documented scope is the
 * enforced one.
 */
public final class ApiScopes {

    /** The key an operation takes. An operator key reaches the integration operations too. */
    public enum Scope {
        OPERATOR("operator", "an operator key"),
        INTEGRATION("integration", "an integration or an operator key"),
        NONE("none", "no key: the console's sign-in");

        private final String id;
        private final String takes;

        Scope(String id, String takes) {
            this.id = id;
            this.takes = takes;
        }

        /** The scope's name in the description's {@code x-scope}. */
        public String id() {
            return id;
        }

        /** What the caller must present, in words. */
        public String takes() {
            return takes;
        }
    }

    private record Rule(HttpMethod method, PathPattern pattern, Scope scope) {

        boolean matches(HttpMethod requested, String path) {
            return (method == null || method.equals(requested)) && pattern.matches(PathContainer.parsePath(path));
        }
    }

    private static final List<Rule> RULES = List.of(
            rule(null, "/api/v1/session", Scope.NONE),
            rule(null, "/api/v1/ops/**", Scope.OPERATOR),
            rule(null, "/api/v1/event-endpoints/**", Scope.OPERATOR),
            rule(HttpMethod.DELETE, "/api/v1/customers/*/personal-data", Scope.OPERATOR),
            rule(null, "/api/v1/cases/**", Scope.INTEGRATION),
            rule(null, "/api/v1/customers/**", Scope.INTEGRATION),
            rule(null, "/api/v1/events", Scope.INTEGRATION));

    private ApiScopes() {
    }

    /**
     * The scope of an operation, its path as a template ({@code /api/v1/cases/{id}}) or as called; empty when no rule
     * names it, and the hub denies it to every key.
     */
    public static Optional<Scope> of(HttpMethod method, String path) {
        return RULES.stream().filter(rule -> rule.matches(method, path)).map(Rule::scope).findFirst();
    }

    private static Rule rule(HttpMethod method, String pattern, Scope scope) {
        return new Rule(method, PathPatternParser.defaultInstance.parse(pattern), scope);
    }
}
