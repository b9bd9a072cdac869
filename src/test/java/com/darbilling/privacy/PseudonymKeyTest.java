package com.darbilling.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PseudonymKeyTest {
    private static final PseudonymKey KEY = PseudonymKey.of("test-key-0123456789abcdef");

    @Test
    void pseudonymIsHmacSha256OfSiteNewlineConsumer() {
        // printf 's-newyork\nc-ann' | openssl dgst -sha256 -hmac test-key-0123456789abcdef
        assertEquals("73c698897d575039e146dd921001671bfc1f89daca5ae79fbd31c6226e6de5e6", KEY.pseudonym("s-newyork", "c-ann"));
    }

    @Test
    void oneEndUserOnTwoSitesIsTwoPseudonymsAndAnotherKeyAnotherOne() {
        assertNotEquals(KEY.pseudonym("s-newyork", "c-ann"), KEY.pseudonym("s-london", "c-ann"));
        assertNotEquals(KEY.pseudonym("s-newyork", "c-ann"), PseudonymKey.of("another-key-0123456789").pseudonym("s-newyork", "c-ann"));
    }

    @Test
    void fingerprintIsHmacSha256OfAFixedLabelAndTellsKeysApart() {
        // printf 'dar-billing key fingerprint v1' | openssl dgst -sha256 -hmac test-key-0123456789abcdef
        assertEquals("c1dc1f98a71f49dfd0718aa94110baa6a2681dc0cb9be186537eaa8ff89baa85", KEY.fingerprint());
        // ... -hmac another-key-0123456789
        assertEquals("2926fc77c34af3b1f2923d6e4254489aaa0d97a3a1feda26bc67140e56b4c2c8",
                PseudonymKey.of("another-key-0123456789").fingerprint());
    }

    @Test
    void shortKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PseudonymKey.of("short"));
    }
}
