package com.kychub.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a provider's value becomes when the hub quotes it in an error (a log line, a {@code last_error}). */
class QuoteTest {

    @Test
    void controlCharactersAreRemovedSoNoLineCanBeForged() {
        assertThat(Quote.of("SUSPENDED\r\n2026-12-06 INFO forged\tline\u001b[31m\u2028\u202e"))
                .isEqualTo("'SUSPENDED2026-12-06 INFO forgedline[31m'");
    }

    @Test
    void aLongValueIsCutToTheBound() {
        String quoted = Quote.of("x".repeat(10_000));

        assertThat(quoted).isEqualTo("'" + "x".repeat(Quote.MAX_LENGTH) + "...'");
    }

    @Test
    void aCutNeverSplitsACharacter() {
        String emoji = "\uD83D\uDE00";

        assertThat(Quote.text(emoji.repeat(5), 3)).isEqualTo(emoji.repeat(3) + "...");
    }

    @Test
    void aShortValueIsQuotedAsItIsAndNullIsNamed() {
        assertThat(Quote.of("APPROVED")).isEqualTo("'APPROVED'");
        assertThat(Quote.of("Zoë Ünal")).isEqualTo("'Zoë Ünal'");
        assertThat(Quote.of(null)).isEqualTo("null");
        assertThat(Quote.text(null, 10)).isEmpty();
    }
}
