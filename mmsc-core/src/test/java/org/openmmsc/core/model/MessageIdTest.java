package org.openmmsc.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIdTest {

    @Test
    void encodesItsCreationTimeAndSortsByIt() {
        Instant t1 = Instant.parse("2026-11-28T12:00:00.123Z");
        Instant t2 = t1.plusMillis(1);
        MessageId a = MessageId.generate(Clock.fixed(t1, ZoneOffset.UTC));
        MessageId b = MessageId.generate(Clock.fixed(t2, ZoneOffset.UTC));
        assertEquals(t1, a.createdAt());
        assertTrue(a.compareTo(b) < 0, a + " should sort before " + b);
        assertEquals(26, a.value().length());
    }

    @Test
    void isUniqueWithoutCoordination() {
        Clock frozen = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
        Set<MessageId> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) assertTrue(ids.add(MessageId.generate(frozen)));
    }

    @Test
    void usesOnlyCharactersSafeInUrlsAndMessageIdHeaders() {
        String v = MessageId.generate(Clock.systemUTC()).value();
        assertTrue(v.matches("[0-9A-HJKMNP-TV-Z]{26}"), v);
    }

    @Test
    void knownBitsGiveKnownText() {
        byte[] ones = new byte[10];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertEquals("0000000001ZZZZZZZZZZZZZZZZ", MessageId.fromParts(1, ones).value());
        assertEquals("7ZZZZZZZZZ0000000000000000", MessageId.fromParts((1L << 48) - 1, new byte[10]).value());
    }

    @Test
    void refusesWhatIsNotAnId() {
        assertThrows(IllegalArgumentException.class, () -> new MessageId("not-an-id"));
        assertThrows(IllegalArgumentException.class, () -> new MessageId("0000000001ZZZZZZZZZZZZZZZU")); // U is excluded
        assertThrows(IllegalArgumentException.class, () -> new MessageId("8000000000000000000000000A")); // beyond 48 bits
        assertEquals("0000000001ZZZZZZZZZZZZZZZZ", MessageId.parse(" 0000000001zzzzzzzzzzzzzzzz ").value());
    }
}
