package com.kychub.access;

import static com.kychub.access.ApiKeyAuthenticationProvider.INTEGRATION;
import static com.kychub.access.ApiKeyAuthenticationProvider.OPERATOR;

import java.io.IOException;
import java.util.Set;

import com.kychub.KycProperties;
import com.kychub.http.ErrorAnswer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who may call what. Two scopes of bearer keys ({@link ApiKeyAuthenticationProvider}): integration (cases, customers,
 * onboardings, data, the event feed) and operator (ops endpoints, raw messages, replay, erasure, event endpoints and
 * their deliveries, the actuator beyond health; an operator key may call the integration endpoints too). The webhooks
 * (each provider authenticated its own way), the sandbox's simulated providers, the error page, the API's
 * description (OpenAPI, Swagger UI) and the console's static files take no key; health
 * and its liveness and readiness groups answer anyone, with details for operators only. Everything else is denied. No
 * key, or an unknown one: 401; a known key of the wrong scope: 403; both as problems ({@link ErrorAnswer}). On
 * {@code management.server.port}, when set, the actuator rules apply there.
 * <p>
 * The console signs in once with an operator key ({@link SessionController}) and then holds a session cookie: a
 * request with that cookie stands for the operator key. Only that sign-in makes a session; a bearer request never
 * does, and answers no cookie. A change (any method but GET, HEAD, OPTIONS, TRACE) that relies on the cookie must
 * carry the session's CSRF token in {@code X-CSRF-TOKEN}, or it is refused with 403: the cookie is sent by the browser
 * whoever wrote the page, a header only by the console's own script. Bearer requests, webhooks and the sandbox carry no
 * cookie to abuse and need no token.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class AccessConfiguration {

    /** The paths that take no API key. */
    private static final RequestMatcher NO_KEY = new OrRequestMatcher(
            pathPattern("/webhooks/**"), pathPattern("/sandbox/**"), pathPattern("/error"));

    /** The API's description and Swagger UI: public, as a published spec is; they hold no data, only shapes. */
    private static final RequestMatcher API_DOCS = new OrRequestMatcher(
            pathPattern("/v3/api-docs"), pathPattern("/v3/api-docs/**"), pathPattern("/swagger-ui.html"),
            pathPattern("/swagger-ui/**"));

    /** The console's files: they hold no data, every figure they show comes from the API behind the session. */
    private static final RequestMatcher CONSOLE = new OrRequestMatcher(
            pathPattern(HttpMethod.GET, "/"), pathPattern(HttpMethod.GET, "/index.html"),
            pathPattern(HttpMethod.GET, "/console/**"));

    /**
     * The console's pages load scripts, styles and data from the hub only, and no other site may frame them: a value
     * from a provider's payload that slipped into the page as markup still could not run or call out.
     */
    private static final String CONSOLE_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** Sign-in, the session's state and sign-out: {@link SessionController} answers each, 401 without a session. */
    private static final RequestMatcher SESSION = pathPattern("/api/v1/session");

    /** The methods that change nothing, so need no CSRF token. */
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private static RequestMatcher pathPattern(String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(pattern);
    }

    private static RequestMatcher pathPattern(HttpMethod method, String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
    }

    @Bean
    public ApiKeyAuthenticationProvider apiKeys(KycProperties properties) {
        return new ApiKeyAuthenticationProvider(properties.api().keys(), properties.api().operatorKeys());
    }

    /** The session's CSRF token, read from {@code X-CSRF-TOKEN}; {@link SessionController} hands it out. */
    @Bean
    public CsrfTokenRepository csrfTokens() {
        return new HttpSessionCsrfTokenRepository();
    }

    @Bean
    public SecurityFilterChain access(HttpSecurity http, ApiKeyAuthenticationProvider apiKeys,
                                      CsrfTokenRepository csrfTokens) throws Exception {
        // The token as handed out, unmasked: it travels in a header from a JSON answer, never inside a page.
        http.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(AccessConfiguration::reliesOnTheSessionCookie))
                // NEVER: the security filters make no session; SessionController makes one at sign-in.
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .headers(headers -> headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(CONSOLE,
                        new ContentSecurityPolicyHeaderWriter(CONSOLE_POLICY))))
                .addFilterAt(bearerKeys(apiKeys), BasicAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> unauthorized(response))
                        .accessDeniedHandler((request, response, e) -> {
                            if (e instanceof CsrfException) {
                                csrfRefused(request, response);
                            } else {
                                forbidden(response);
                            }
                        }))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(NO_KEY).permitAll()
                        .requestMatchers(API_DOCS).permitAll()
                        .requestMatchers(CONSOLE).permitAll()
                        .requestMatchers(SESSION).permitAll()
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(OPERATOR)
                        .requestMatchers(pathPattern("/api/v1/ops/**"), pathPattern("/api/v1/event-endpoints/**"),
                                pathPattern(HttpMethod.DELETE, "/api/v1/customers/*/personal-data")).hasRole(OPERATOR)
                        .requestMatchers(pathPattern("/api/v1/cases/**"), pathPattern("/api/v1/customers/**"),
                                pathPattern("/api/v1/events")).hasRole(INTEGRATION)
                        .anyRequest().denyAll());
        return http.build();
    }

    /**
     * Spring Security's firewall refuses a path or header that could slip past the rules above (an encoded slash or
     * dot, a semicolon, a control character): a 400 problem, where its default would be a 500.
     */
    @Bean
    public RequestRejectedHandler requestRejected() {
        return (request, response, e) -> ErrorAnswer.write(request, response, HttpServletResponse.SC_BAD_REQUEST,
                "the request's path or headers hold characters the hub does not take");
    }

    /** Reads the key of every request that needs one; a known key goes on to the rules, an unknown one gets 401. */
    private static AuthenticationFilter bearerKeys(ApiKeyAuthenticationProvider apiKeys) {
        AuthenticationFilter filter = new AuthenticationFilter(new ProviderManager(apiKeys),
                AccessConfiguration::bearerKey);
        // A webhook's own Authorization header (Connect Financial's bearer token, Ondato's Basic) is not an API key.
        filter.setRequestMatcher(new NegatedRequestMatcher(NO_KEY));
        // Nothing to do on success (the default would redirect, as after a log-in form): the request goes on.
        filter.setSuccessHandler((request, response, authentication) -> { });
        filter.setFailureHandler(new AuthenticationEntryPointFailureHandler(
                (request, response, e) -> unauthorized(response)));
        return filter;
    }

    /**
     * A change made on the strength of the session cookie: not a safe method, no bearer key of its own, a session
     * alive, and not the sign-in itself (which presents an operator key, and replaces the session it finds).
     */
    private static boolean reliesOnTheSessionCookie(HttpServletRequest request) {
        return !SAFE_METHODS.contains(request.getMethod())
                && bearerKey(request) == null
                && !NO_KEY.matches(request)
                && !(HttpMethod.POST.matches(request.getMethod()) && SESSION.matches(request))
                && request.getSession(false) != null;
    }

    /** The key of {@code Authorization: Bearer <key>}; without one (or with another scheme) the caller is anonymous. */
    private static Authentication bearerKey(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return ApiKeyAuthentication.presented(authorization.substring(7).trim());
    }

    private static void csrfRefused(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ErrorAnswer.write(request, response, HttpServletResponse.SC_FORBIDDEN, "a change made with the session cookie "
                + "needs the session's CSRF token in the X-CSRF-TOKEN header (GET /api/v1/session answers it)");
    }


    private static void unauthorized(HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        ErrorAnswer.write(response, ErrorAnswer.of(HttpServletResponse.SC_UNAUTHORIZED, "missing or invalid API key",
                requestPath()));
    }

    private static void forbidden(HttpServletResponse response) throws IOException {
        ErrorAnswer.write(response, ErrorAnswer.of(HttpServletResponse.SC_FORBIDDEN,
                "this API key's scope does not include this endpoint", requestPath()));
    }

    /**
     * The path of the request being answered, for the problem's {@code instance}: Spring's request context filter,
     * which runs before the security filters, holds the request.
     */
    private static String requestPath() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes current
                ? current.getRequest().getRequestURI() : null;
    }
}
