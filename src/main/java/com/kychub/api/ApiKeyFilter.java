package com.kychub.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import com.kychub.http.ErrorAnswer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer <key>} on every {@code /api/*} request, the keys from {@code KYC_API_KEYS}. With no key
 * configured, every request is refused: the API is never open by accident.
 */
public class ApiKeyFilter extends OncePerRequestFilter {

    private final List<byte[]> keys;

    public ApiKeyFilter(List<String> keys) {
        this.keys = keys.stream()
                .map(String::trim)
                .filter(key -> !key.isEmpty())
                .map(key -> key.getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && isKnown(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer");
        ErrorAnswer.of(HttpServletResponse.SC_UNAUTHORIZED, "missing or invalid API key")
                .write(response, HttpServletResponse.SC_UNAUTHORIZED);
    }

    private boolean isKnown(byte[] presented) {
        boolean known = false;
        for (byte[] key : keys) {
            // Every key is compared, each in constant time, so timing tells nothing about which one nearly matched.
            known |= MessageDigest.isEqual(key, presented);
        }
        return known;
    }
}
