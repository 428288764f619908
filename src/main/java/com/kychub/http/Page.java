package com.kychub.http;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * One page of a list the hub API answers: its items, and {@code next}, the path and query of the next page (the
 * request's own filters and limit, with {@code after} set to the cursor of the last item), or null when there is
 * nothing more (written as null, not left out, whatever the hub's default for nulls). Every list of the API is one of
 * these; none stops silently.
 */
public record Page<T>(List<T> items, @JsonInclude(JsonInclude.Include.ALWAYS) String next) {

    /**
     * The page of {@code fetched}, which holds up to {@code limit + 1} rows: the one past the limit, if it came, says
     * that there is a next page, which starts after the last item shown.
     */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, String> cursorOf) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(items, linkAfter(cursorOf.apply(items.get(limit - 1))));
    }

    /** The current request's path and query (still encoded as it came), with {@code after} set to the cursor. */
    public static String linkAfter(String cursor) {
        UriComponents current = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("after", cursor)
                .build();
        // Relative: the host and scheme the hub sees may not be the ones the caller used (a proxy in between).
        return UriComponentsBuilder.newInstance().path(current.getPath()).query(current.getQuery()).build()
                .toUriString();
    }
}
