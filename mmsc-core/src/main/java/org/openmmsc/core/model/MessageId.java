package org.openmmsc.core.model;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A message's identity: a ULID-style 26-character Crockford base32 string (48-bit millisecond
 * timestamp, then 80 random bits). Sorts by creation time, is unique across nodes and restarts
 * without coordination, and uses only [0-9A-Z] so it is safe in URLs, MM1 Message-ID, MM4
 * Message-ID (inside angle brackets) and MM7 MessageID.
 */
public record MessageId(String value) implements Comparable<MessageId> {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Pattern FORM = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");
    /**
     * DRBG (NIST SP 800-90A, seeded once from the OS) rather than the platform default, which on Linux
     * reads /dev/urandom under a global lock for every id: a system call per accepted message.
     */
    private static final SecureRandom RANDOM = drbg();

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    public MessageId {
        Objects.requireNonNull(value, "message id");
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not a message id (26 Crockford base32 characters): " + value);
        }
    }

    public static MessageId generate(Clock clock) {
        return fromParts(clock.millis(), randomBits());
    }

    static MessageId fromParts(long millis, byte[] random80) {
        if (millis < 0 || millis >= (1L << 48)) throw new IllegalArgumentException("timestamp out of range: " + millis);
        char[] out = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits -> 16 characters of 5 bits each.
        long hi = 0;
        for (int i = 0; i < 5; i++) hi = (hi << 8) | (random80[i] & 0xFF);
        long lo = 0;
        for (int i = 5; i < 10; i++) lo = (lo << 8) | (random80[i] & 0xFF);
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new MessageId(new String(out));
    }

    private static byte[] randomBits() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    public static MessageId parse(String text) {
        return new MessageId(text == null ? null : text.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** The creation time encoded in the identifier. */
    public Instant createdAt() {
        long millis = 0;
        for (int i = 0; i < 10; i++) millis = (millis << 5) | indexOf(value.charAt(i));
        return Instant.ofEpochMilli(millis);
    }

    private static int indexOf(char c) {
        for (int i = 0; i < ALPHABET.length; i++) if (ALPHABET[i] == c) return i;
        throw new IllegalStateException("validated at construction");
    }

    @Override
    public int compareTo(MessageId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
