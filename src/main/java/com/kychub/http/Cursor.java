package com.kychub.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.StringJoiner;
import java.util.function.Function;


/**
 * The cursors of the API's pages: the sort key of the last item shown (an id; a time and an id; the feed's transaction
 * and id), joined with {@code :} and base64url-encoded, so that a caller holds it as an opaque token and the hub can
 * change what it holds. The one encoder and decoder for every list.
 */
public final class Cursor {

    private Cursor() {
    }

    /** The cursor of a sort key; each part must not contain {@code :} (numbers and UUIDs do not). */
    public static String of(Object... key) {
        StringJoiner joined = new StringJoiner(":");
        for (Object part : key) {
            joined.add(String.valueOf(part));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(joined.toString()
                .getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The sort key a cursor holds, read by {@code parse} from its {@code parts} parts; null for no cursor. Anything
     * that does not decode or parse (a cursor of another list, a made-up one) is a 400.
     */
    public static <K> K read(String after, int parts, Function<String[], K> parse) {
        if (after == null) {
            return null;
        }
        try {
            String[] key = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.US_ASCII).split(":", -1);
            if (key.length != parts) {
                throw new IllegalArgumentException("a cursor of " + key.length + " parts");
            }
            K read = parse.apply(key);
            if (read == null) {
                throw new IllegalArgumentException("not a key of this list");
            }
            return read;
        } catch (RuntimeException e) {
            throw ErrorAnswer.badRequest("'after' is not a cursor this list answered");
        }
    }

    /** The id a cursor of a list ordered by id holds; null for no cursor. */
    public static Long id(String after) {
        return read(after, 1, key -> {
            long id = Long.parseLong(key[0]);
            return id > 0 ? id : null;
        });
    }
}
