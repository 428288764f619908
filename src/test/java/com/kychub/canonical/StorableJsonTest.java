package com.kychub.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorableJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"x\\u0000\"}", "{\"a\\u0000\":1}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udfff\"}",
            "{\"a\":\"\\udc00\\ud800\"}", "{\"a\":\"x\\ud83d\"}", "{\"a\":[1,{\"b\":[\"\\ud800\"]}]}"})
    void nulAndUnpairedSurrogatesAreNotStorable(String body) throws Exception {
        assertThat(StorableJson.isStorable(json.readTree(body))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"😀 Zoë \\u202e \\u0001 \\uffff\"}", "{}",
            "{\"a\":[null,1.5,true,{\"b\":\"\\u00e9\"}]}"})
    void everythingElseIsStorable(String body) throws Exception {
        assertThat(StorableJson.isStorable(json.readTree(body))).isTrue();
    }

    @Test
    void textIsCheckedToItsLastCharacter() {
        assertThat(StorableJson.isStorable("abc\uD800")).isFalse();
        assertThat(StorableJson.isStorable("abc\uD83D\uDE00")).isTrue();
        assertThat(StorableJson.isStorable("")).isTrue();
    }
}
