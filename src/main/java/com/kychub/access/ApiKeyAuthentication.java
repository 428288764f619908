package com.kychub.access;

import java.util.Collection;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * An API key presented as {@code Authorization: Bearer <key>}. Presented, it carries the key; authenticated, the
 * scope the key belongs to and that scope's roles, and no longer the key.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final String scope;
    private String key;

    private ApiKeyAuthentication(String scope, String key, Collection<? extends GrantedAuthority> roles) {
        super(roles);
        this.scope = scope;
        this.key = key;
    }

    /** The key as the caller sent it, not yet checked. */
    public static ApiKeyAuthentication presented(String key) {
        return new ApiKeyAuthentication(null, key, List.of());
    }

    /** A known key of that scope. */
    public static ApiKeyAuthentication of(String scope, Collection<? extends GrantedAuthority> roles) {
        ApiKeyAuthentication authentication = new ApiKeyAuthentication(scope, null, roles);
        authentication.setAuthenticated(true);
        return authentication;
    }

    @Override
    public Object getCredentials() {
        return key;
    }

    /** The scope's name ({@code integration}, {@code operator}): what the logs may say of the caller. */
    @Override
    public Object getPrincipal() {
        return scope;
    }

    @Override
    public void eraseCredentials() {
        super.eraseCredentials();
        key = null;
    }
}
