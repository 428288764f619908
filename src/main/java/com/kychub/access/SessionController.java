package com.kychub.access;

import static com.kychub.access.ApiKeyAuthenticationProvider.OPERATOR;

import java.time.Duration;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.server.Cookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The console's session: {@code POST /api/v1/session} with {@code {"key": "<operator key>"}} signs in and answers the
 * scope and the CSRF token, with the session cookie (HttpOnly, SameSite=Strict, {@code server.servlet.session.cookie.*});
 * {@code GET} answers the same for a live session; {@code DELETE} signs out. Only an operator key signs in: the console
 * is the operator's. A wrong key and an integration key are both 401, so that the answer says nothing of which keys
 * exist. Every session starts new at sign-in (a session id known before it, planted or not, is worth nothing after).
 */
@Tag(name = "Console session", description = "The operations console's sign-in: an operator key once, then a cookie")
@RestController
@RequestMapping("/api/v1/session")
public class SessionController {

    /** What the console sends to sign in. */
    public record SignIn(String key) {
    }

    /** The signed-in scope and the token every change made with the cookie carries in {@code X-CSRF-TOKEN}. */
    public record SessionView(String scope, String csrfToken) {
    }

    private static final String OPERATOR_ROLE = "ROLE_" + OPERATOR;

    private final ApiKeyAuthenticationProvider apiKeys;
    private final CsrfTokenRepository csrfTokens;
    private final Cookie cookie;
    private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    public SessionController(ApiKeyAuthenticationProvider apiKeys, CsrfTokenRepository csrfTokens,
                             ServerProperties server) {
        this.apiKeys = apiKeys;
        this.csrfTokens = csrfTokens;
        this.cookie = server.getServlet().getSession().getCookie();
    }

    @Operation(summary = "Sign in with an operator key: the session cookie and its CSRF token")
    @PostMapping
    public SessionView signIn(@RequestBody SignIn signIn, HttpServletRequest request, HttpServletResponse response) {
        Authentication operator = operator(signIn == null ? null : signIn.key());
        HttpSession previous = request.getSession(false);
        if (previous != null) {
            previous.invalidate();
        }
        request.getSession(true);
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(operator);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        CsrfToken token = csrfTokens.generateToken(request);
        csrfTokens.saveToken(token, request, response);
        return new SessionView("operator", token.getToken());
    }

    /**
     * The live session's scope and CSRF token: the token the session holds, so that a second tab of the console does
     * not void the first one's.
     */
    @Operation(summary = "The live session's scope and CSRF token")
    @GetMapping
    public SessionView current(HttpServletRequest request, HttpServletResponse response) {
        if (!signedIn(request)) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "not signed in: POST /api/v1/session with "
                    + "an operator key");
        }
        CsrfToken token = csrfTokens.loadToken(request);
        if (token == null) {
            token = csrfTokens.generateToken(request);
            csrfTokens.saveToken(token, request, response);
        }
        return new SessionView("operator", token.getToken());
    }

    /** Ends the session, if there is one, and tells the browser to forget its cookie. */
    @Operation(summary = "Sign out: the session ends, the cookie is cleared")
    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void signOut(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        String path = cookie.getPath() != null ? cookie.getPath()
                : request.getContextPath().isEmpty() ? "/" : request.getContextPath();
        response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(cookieName(), "").path(path).maxAge(Duration.ZERO)
                .httpOnly(true).secure(Boolean.TRUE.equals(cookie.getSecure())).sameSite("Strict").build().toString());
    }

    /** The operator the key belongs to; 401 for an unknown key and for an integration key alike. */
    private Authentication operator(String key) {
        if (key != null && !key.isBlank()) {
            try {
                Authentication known = apiKeys.authenticate(ApiKeyAuthentication.presented(key.trim()));
                if (hasOperatorRole(known)) {
                    return known;
                }
            } catch (AuthenticationException unknown) {
                // The same answer as for an integration key, below.
            }
        }
        throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "only an operator key signs in to the console");
    }

    /** Whether the request's own session (not a bearer key) holds an operator. */
    private boolean signedIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null
                && session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)
                instanceof SecurityContext context
                && hasOperatorRole(context.getAuthentication());
    }

    private static boolean hasOperatorRole(Authentication authentication) {
        return authentication != null && authentication.isAuthenticated() && authentication.getAuthorities().stream()
                .anyMatch(role -> OPERATOR_ROLE.equals(role.getAuthority()));
    }

    private String cookieName() {
        return cookie.getName() != null ? cookie.getName() : "JSESSIONID";
    }
}
