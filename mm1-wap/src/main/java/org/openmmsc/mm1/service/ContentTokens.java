package org.openmmsc.mm1.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.MessageId;

/**
 * Per-recipient retrieval tokens and notification transaction ids, derived rather than stored so
 * they survive restarts: the transaction id is the message id in 16 octets (base64url, 22
 * characters); the token adds a 4-octet HMAC-SHA256 of (message id, recipient index) under a
 * per-node secret (27 characters). The index is not in the token — the MMSC finds it by checking
 * the message's few recipients — which keeps a typical m-notification-ind inside one SMS.
 * A recipient cannot turn its own token into another recipient's without the secret.
 */
public final class ContentTokens {
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int MAC_OCTETS = 4;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public ContentTokens(byte[] secret) {
        if (secret.length < 16) throw new IllegalArgumentException("token secret must be at least 16 octets");
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** Reads the node's secret from {@code file}, creating it (32 random octets, owner-only) the first time. */
    public static ContentTokens loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                // Tokens minted with this secret go out in notifications: it must survive a power loss.
                try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(tmp,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    out.write(java.nio.ByteBuffer.wrap(secret));
                    out.force(true);
                }
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system; the store directory's own permissions apply
                }
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                try (java.nio.channels.FileChannel dir = java.nio.channels.FileChannel.open(file.toAbsolutePath().getParent(),
                        java.nio.file.StandardOpenOption.READ)) {
                    dir.force(true);
                }
            }
            byte[] secret = Files.readAllBytes(file);
            if (secret.length != 32) {
                throw new IllegalStateException("the MM1 token secret " + file + " is damaged (" + secret.length
                        + " octets, expected 32); restore it from backup, or delete it to invalidate every outstanding content location");
            }
            return new ContentTokens(secret);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the MM1 token secret " + file, e);
        }
    }

    /** The m-notification-ind (and m-retrieve-conf) transaction id of a message. */
    public String transactionId(MessageId id) {
        return B64.encodeToString(idOctets(id));
    }

    public Optional<MessageId> messageIdOfTransaction(String transactionId) {
        if (transactionId == null || transactionId.length() != 22) return Optional.empty();
        try {
            return Optional.of(idFromOctets(B64D.decode(transactionId)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The retrieval token of one recipient delivery. */
    public String token(DeliveryKey key) {
        byte[] id = idOctets(key.messageId());
        byte[] out = Arrays.copyOf(id, 16 + MAC_OCTETS);
        System.arraycopy(mac(id, key.recipientIndex()), 0, out, 16, MAC_OCTETS);
        return B64.encodeToString(out);
    }

    /** A token split into its message id and MAC; empty when it cannot be one. */
    public Optional<Parsed> parse(String token) {
        if (token == null || token.length() != 27) return Optional.empty();
        try {
            byte[] raw = B64D.decode(token);
            if (raw.length != 16 + MAC_OCTETS) return Optional.empty();
            return Optional.of(new Parsed(idFromOctets(Arrays.copyOf(raw, 16)), Arrays.copyOfRange(raw, 16, raw.length)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether a parsed token was minted for this recipient index (constant-time compare). */
    public boolean matches(Parsed parsed, int recipientIndex) {
        byte[] expected = Arrays.copyOf(mac(idOctets(parsed.messageId()), recipientIndex), MAC_OCTETS);
        return MessageDigest.isEqual(expected, parsed.mac());
    }

    public record Parsed(MessageId messageId, byte[] mac) {}

    private byte[] mac(byte[] id, int index) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(id);
            mac.update(new byte[] {(byte) (index >>> 24), (byte) (index >>> 16), (byte) (index >>> 8), (byte) index});
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static byte[] idOctets(MessageId id) {
        BigInteger n = BigInteger.ZERO;
        for (char c : id.value().toCharArray()) n = n.shiftLeft(5).or(BigInteger.valueOf(ALPHABET.indexOf(c)));
        byte[] raw = n.toByteArray();
        byte[] out = new byte[16];
        int copy = Math.min(raw.length, 16);
        System.arraycopy(raw, raw.length - copy, out, 16 - copy, copy);
        return out;
    }

    static MessageId idFromOctets(byte[] octets) {
        BigInteger n = new BigInteger(1, octets);
        char[] chars = new char[26];
        for (int i = 25; i >= 0; i--) {
            chars[i] = ALPHABET.charAt(n.intValue() & 31);
            n = n.shiftRight(5);
        }
        return new MessageId(new String(chars));
    }
}
