package com.kychub.provider.width;

import java.time.Instant;
import java.util.Map;

/**
 * How a request to WIDTH is signed with the API secret. WIDTH's algorithm is not public, so it is a plug:
 * {@link HmacSha256WidthSignature} is the assumed default, chosen by {@code kyc.providers.width.signature-scheme}.
 */
public interface WidthSignature {

    /** The headers that sign this body at this time. */
    Map<String, String> headers(String body, Instant now);

    /** Signs nothing ({@code signature-scheme: none}). */
    WidthSignature NONE = (body, now) -> Map.of();
}
