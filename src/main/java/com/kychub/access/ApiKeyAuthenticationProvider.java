package com.kychub.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * The hub API's keys and their scopes: an integration key ({@code kyc.api.keys}, {@code KYC_API_KEYS}) has the role
 * {@value #INTEGRATION}; an operator key ({@code kyc.api.operator-keys}, {@code KYC_OPERATOR_API_KEYS}) has
 * {@value #OPERATOR} and {@value #INTEGRATION} too, as the operations console reads cases through the integration
 * endpoints. A scope without a key refuses every request: the API is never open by accident.
 */
public class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    public static final String INTEGRATION = "INTEGRATION";
    public static final String OPERATOR = "OPERATOR";

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationProvider.class);

    /** A key by its SHA-256 digest: every comparison then takes the same time, whatever the key's length. */
    private record Key(byte[] digest, String scope, List<GrantedAuthority> roles) {
    }

    private final List<Key> keys = new ArrayList<>();

    public ApiKeyAuthenticationProvider(List<String> integrationKeys, List<String> operatorKeys) {
        // Operator keys first: a key listed in both scopes is an operator key.
        add(operatorKeys, "operator", AuthorityUtils.createAuthorityList("ROLE_" + OPERATOR, "ROLE_" + INTEGRATION));
        add(integrationKeys, "integration", AuthorityUtils.createAuthorityList("ROLE_" + INTEGRATION));
        if (keys.stream().noneMatch(key -> key.scope().equals("integration"))) {
            log.warn("No integration API key is configured (kyc.api.keys, KYC_API_KEYS): only operator keys reach "
                    + "the cases and customers endpoints");
        }
        if (keys.stream().noneMatch(key -> key.scope().equals("operator"))) {
            log.warn("No operator API key is configured (kyc.api.operator-keys, KYC_OPERATOR_API_KEYS): the ops "
                    + "endpoints and the actuator beyond health refuse every request");
        }
    }

    private void add(List<String> configured, String scope, List<GrantedAuthority> roles) {
        configured.stream().map(String::trim).filter(key -> !key.isEmpty())
                .forEach(key -> keys.add(new Key(digest(key), scope, roles)));
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        byte[] presented = digest(String.valueOf(authentication.getCredentials()));
        Key found = null;
        for (Key key : keys) {
            // Every key is compared, each in constant time, so timing tells nothing about which one nearly matched.
            if (MessageDigest.isEqual(key.digest(), presented) && found == null) {
                found = key;
            }
        }
        if (found == null) {
            throw new BadCredentialsException("unknown API key");
        }
        return ApiKeyAuthentication.of(found.scope(), found.roles());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
